using System.Diagnostics;

namespace Pottery;

/// <summary>
/// What one observed acquisition reports (a lock's, a semaphore permit's, a reader-writer lock's read
/// or write, told apart by <see cref="TelemetryTags.LockKind"/>): its <c>pottery.lock.acquire</c>
/// span, its duration, its outcome and whether it met contention. Made only while someone listens
/// (<see cref="Start(string, int, string)"/>), so an unobserved acquisition allocates nothing for telemetry.
/// </summary>
internal sealed class LockAcquireObservation
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly string _kind;
    private readonly Activity? _activity;
    private bool _contended;

    private LockAcquireObservation(string name, int database, string kind)
    {
        _kind = kind;
        _activity = PotterySpans.Start("pottery.lock.acquire", ActivityKind.Client, database);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag(TelemetryTags.LockName, name);
            _activity.SetTag(TelemetryTags.LockKind, kind);
        }
    }

    /// <summary>An observation of a <see cref="Redlock"/> acquisition, or null while nobody listens (a few field reads).</summary>
    public static LockAcquireObservation? Start(Redlock redlock) =>
        Listened ? new LockAcquireObservation(redlock.Name, redlock.Masters[0].Database, LockKinds.Lock) : null;

    /// <summary>An observation of a leased acquisition, or null while nobody listens (a few field reads).</summary>
    /// <param name="name">The primitive's name as given.</param>
    /// <param name="database">The primitive's database number.</param>
    /// <param name="kind">One of <see cref="LockKinds"/>.</param>
    public static LockAcquireObservation? Start(string name, int database, string kind) =>
        Listened ? new LockAcquireObservation(name, database, kind) : null;

    private static bool Listened =>
        PotteryInstruments.LockAcquireDuration.Enabled || PotteryInstruments.LockAcquisitions.Enabled || PotteryInstruments.LockContended.Enabled || PotteryInstruments.Source.HasListeners();

    /// <summary>Notes that the primitive was held by someone else: a try did not win, or the call waited behind this process's holder.</summary>
    public void Contended() => _contended = true;

    /// <summary>Ends the observation of a call that returned.</summary>
    /// <param name="handle">The acquisition, or null when it timed out.</param>
    public void Returned(RedlockHandle? handle) => Returned(handle is not null);

    /// <summary>Ends the observation of a call that returned.</summary>
    /// <param name="acquired">Whether it acquired; false when it timed out.</param>
    public void Returned(bool acquired) => End(acquired ? LockOutcomes.Acquired : LockOutcomes.Timeout, null);

    /// <summary>Ends the observation of a call that threw.</summary>
    public void Threw(Exception error) => End(LockOutcomes.Of(error), error);

    private void End(string outcome, Exception? error)
    {
        var outcomeTag = new KeyValuePair<string, object?>(TelemetryTags.LockOutcome, outcome);
        var kindTag = new KeyValuePair<string, object?>(TelemetryTags.LockKind, _kind);
        PotteryInstruments.LockAcquireDuration.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, outcomeTag, kindTag);
        PotteryInstruments.LockAcquisitions.Add(1, outcomeTag, kindTag);
        if (_contended)
        {
            PotteryInstruments.LockContended.Add(1, outcomeTag, kindTag);
        }

        if (_activity is not null)
        {
            _activity.SetTag(TelemetryTags.LockOutcome, outcome);
            if (error is not null)
            {
                PotterySpans.Failed(_activity, error);
            }

            _activity.Dispose();
        }
    }
}

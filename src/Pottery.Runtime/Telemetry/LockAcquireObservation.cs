using System.Diagnostics;

namespace Pottery;

/// <summary>
/// What one observed lock acquisition reports: its <c>pottery.lock.acquire</c> span, its duration,
/// its outcome and whether it met contention. Made only while someone listens
/// (<see cref="Start"/>), so an unobserved acquisition allocates nothing for telemetry.
/// </summary>
internal sealed class LockAcquireObservation
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;
    private bool _contended;

    private LockAcquireObservation(Redlock redlock)
    {
        _activity = PotteryInstruments.Source.StartActivity("pottery.lock.acquire", ActivityKind.Client);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag(TelemetryTags.DbSystemName, TelemetryTags.Redis);
            _activity.SetTag(TelemetryTags.DbNamespace, TelemetryTags.Namespace(redlock.Masters[0].Database));
            _activity.SetTag(TelemetryTags.LockName, redlock.Name);
        }
    }

    /// <summary>An observation, or null while nobody listens (a few field reads).</summary>
    public static LockAcquireObservation? Start(Redlock redlock) =>
        PotteryInstruments.LockAcquireDuration.Enabled || PotteryInstruments.LockAcquisitions.Enabled || PotteryInstruments.LockContended.Enabled || PotteryInstruments.Source.HasListeners()
            ? new LockAcquireObservation(redlock)
            : null;

    /// <summary>Notes that the lock was held by someone else: a try did not win, or the call waited behind this process's holder.</summary>
    public void Contended() => _contended = true;

    /// <summary>Ends the observation of a call that returned.</summary>
    /// <param name="handle">The acquisition, or null when it timed out.</param>
    public void Returned(RedlockHandle? handle) => End(handle is null ? LockOutcomes.Timeout : LockOutcomes.Acquired, null);

    /// <summary>Ends the observation of a call that threw.</summary>
    public void Threw(Exception error) => End(LockOutcomes.Of(error), error);

    private void End(string outcome, Exception? error)
    {
        var outcomeTag = new KeyValuePair<string, object?>(TelemetryTags.LockOutcome, outcome);
        PotteryInstruments.LockAcquireDuration.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, outcomeTag);
        PotteryInstruments.LockAcquisitions.Add(1, outcomeTag);
        if (_contended)
        {
            PotteryInstruments.LockContended.Add(1, outcomeTag);
        }

        if (_activity is not null)
        {
            _activity.SetTag(TelemetryTags.LockOutcome, outcome);
            if (error is not null)
            {
                _activity.SetTag(TelemetryTags.ErrorType, error.GetType().FullName);
                _activity.SetStatus(ActivityStatusCode.Error, error.Message);
            }

            _activity.Dispose();
        }
    }
}

using System.Diagnostics;

namespace Pottery;

/// <summary>
/// What one observed dequeue call reports: its <c>pottery.queue.dequeue</c> span and its wait
/// (<c>pottery.queue.wait.duration</c>). Made only while someone listens (<see cref="Start"/>).
/// </summary>
internal sealed class QueueDequeueObservation
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly string _queueName;
    private readonly Activity? _activity;

    private QueueDequeueObservation(RedisObject queue)
    {
        _queueName = queue.KeyName;
        _activity = PotterySpans.Start("pottery.queue.dequeue", ActivityKind.Client, queue.Database.Database);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag(TelemetryTags.QueueName, _queueName);
        }
    }

    /// <summary>An observation, or null while nobody listens (a few field reads).</summary>
    public static QueueDequeueObservation? Start(RedisObject queue) =>
        PotteryInstruments.QueueWaitDuration.Enabled || PotteryInstruments.Source.HasListeners() ? new QueueDequeueObservation(queue) : null;

    /// <summary>Ends the observation of a call that returned, with an item or without.</summary>
    public void Returned(bool found) => End(found ? "item" : "empty", null);

    /// <summary>Ends the observation of a call that threw.</summary>
    public void Threw(Exception error) => End(error is OperationCanceledException ? "canceled" : "error", error);

    private void End(string outcome, Exception? error)
    {
        if (PotteryInstruments.QueueWaitDuration.Enabled)
        {
            PotteryInstruments.QueueWaitDuration.Record(
                Stopwatch.GetElapsedTime(_start).TotalSeconds,
                new KeyValuePair<string, object?>(TelemetryTags.QueueName, _queueName),
                new KeyValuePair<string, object?>(TelemetryTags.QueueOutcome, outcome));
        }

        if (_activity is not null)
        {
            _activity.SetTag(TelemetryTags.QueueOutcome, outcome);
            if (error is not null)
            {
                PotterySpans.Failed(_activity, error);
            }

            _activity.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pottery.Runtime.Tests.Telemetry;

/// <summary>One measurement from Pottery's meter.</summary>
/// <param name="Instrument">The instrument's name.</param>
/// <param name="Unit">The instrument's unit.</param>
/// <param name="Value">The value.</param>
/// <param name="Tags">The measurement's tags.</param>
/// <param name="InScope">Whether it was recorded in the async flow of the test that made the collector.</param>
public sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags, bool InScope)
{
    /// <summary>The tag's value as a string, or null.</summary>
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value?.ToString() : null;
}

/// <summary>
/// Listens to Pottery's meter and activity source for one test. Listeners are process-wide and
/// other tests run in parallel, so tests pick their own measurements and spans: by the unique
/// name they gave (a queue, cache or Bloom filter key, a lock name on spans) or, for lock metrics
/// (which carry no lock name), by <see cref="Measurement.InScope"/>: recorded in this test's async flow.
/// </summary>
public sealed class TelemetryCollector : IDisposable
{
    private static readonly AsyncLocal<TelemetryCollector?> Scope = new();
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public TelemetryCollector()
    {
        Scope.Value = this;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PotteryTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PotteryTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
    }

    /// <summary>Every measurement so far of the named instrument.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>The measurements of the instrument recorded in this test's async flow.</summary>
    public IReadOnlyList<Measurement> InScope(string instrument) => [.. Of(instrument).Where(m => m.InScope)];

    /// <summary>The measurements of the instrument whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public IReadOnlyList<Measurement> Tagged(string instrument, string tag, string value) => [.. Of(instrument).Where(m => m.Tag(tag) == value)];

    /// <summary>The stopped spans of the given name whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public IReadOnlyList<Activity> Spans(string name, string tag, string value) =>
        [.. _stopped.Where(a => a.OperationName == name && a.GetTagItem(tag)?.ToString() == value)];

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
        Scope.Value = null;
    }

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value.ToDouble(null), copy, ReferenceEquals(Scope.Value, this)));
    }
}

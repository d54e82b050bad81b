using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pottery;

/// <summary>
/// Pottery's one <see cref="System.Diagnostics.Metrics.Meter"/> and one <see cref="ActivitySource"/>,
/// and every instrument, named per OpenTelemetry's semantic conventions (<c>pottery.</c> prefix,
/// UCUM units). Callers check <see cref="Instrument.Enabled"/> or <see cref="ActivitySource.HasListeners"/>
/// before building tags, so nothing is allocated while nobody listens.
/// </summary>
internal static class PotteryInstruments
{
    /// <summary>The meter named <see cref="PotteryTelemetry.MeterName"/>.</summary>
    public static readonly Meter Meter = new(PotteryTelemetry.MeterName, Version);

    /// <summary>The activity source named <see cref="PotteryTelemetry.ActivitySourceName"/>.</summary>
    public static readonly ActivitySource Source = new(PotteryTelemetry.ActivitySourceName, Version);

    /// <summary>How long lock acquisitions took, by outcome.</summary>
    public static readonly Histogram<double> LockAcquireDuration = Meter.CreateHistogram<double>("pottery.lock.acquire.duration", "s", "How long acquiring a lock took, waiting included.");

    /// <summary>Lock acquisitions by outcome.</summary>
    public static readonly Counter<long> LockAcquisitions = Meter.CreateCounter<long>("pottery.lock.acquisitions", "{acquisition}", "Lock acquisition calls, by outcome.");

    /// <summary>Lock acquisitions that found the lock held (locally or in Redis) at least once.</summary>
    public static readonly Counter<long> LockContended = Meter.CreateCounter<long>("pottery.lock.contended", "{acquisition}", "Lock acquisition calls that found the lock held by someone else at least once, by outcome.");

    /// <summary>Lock steps that could not reach a quorum of masters.</summary>
    public static readonly Counter<long> LockQuorumFailures = Meter.CreateCounter<long>("pottery.lock.quorum.failures", "{failure}", "Lock steps that too few masters answered for a quorum, by operation.");

    /// <summary>Acquisitions whose validity ran out while held.</summary>
    public static readonly Counter<long> LockLost = Meter.CreateCounter<long>("pottery.lock.lost", "{acquisition}", "Acquisitions lost while held: the validity ran out, or the watchdog could not renew it.");

    /// <summary>How long dequeue calls took, by outcome.</summary>
    public static readonly Histogram<double> QueueWaitDuration = Meter.CreateHistogram<double>("pottery.queue.wait.duration", "s", "How long a dequeue call took until it got an item or gave up, waiting included.");

    /// <summary>Deliveries of items that were handed out before.</summary>
    public static readonly Counter<long> QueueRedeliveries = Meter.CreateCounter<long>("pottery.queue.redeliveries", "{delivery}", "Items handed out again after their visibility timeout passed or their delivery was abandoned.");

    /// <summary>Items moved to the dead-letter list.</summary>
    public static readonly Counter<long> QueueDeadLetters = Meter.CreateCounter<long>("pottery.queue.dead_letters", "{item}", "Items moved to the dead-letter list after their last allowed delivery.");

    /// <summary>How many items were waiting right after each enqueue.</summary>
    public static readonly Histogram<long> QueueDepth = Meter.CreateHistogram<long>("pottery.queue.depth", "{item}", "How many items were waiting in the queue right after an enqueue of this process stored one.");

    /// <summary>Memoized lookups answered from the cache.</summary>
    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("pottery.cache.hits", "{lookup}", "Memoized lookups answered from the cache.");

    /// <summary>Memoized lookups that computed the result.</summary>
    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("pottery.cache.misses", "{lookup}", "Memoized lookups that computed the result in this process.");

    /// <summary>Misses that waited for another computation of the same arguments and used its result.</summary>
    public static readonly Counter<long> CacheSingleFlightWaits = Meter.CreateCounter<long>("pottery.cache.single_flight.waits", "{lookup}", "Memoized misses that waited for another computation of the same arguments and used its result.");

    /// <summary>Elements added to Bloom filters.</summary>
    public static readonly Counter<long> BloomAdds = Meter.CreateCounter<long>("pottery.bloom.adds", "{element}", "Elements sent to be added to a Bloom filter.");

    // The meter and source report the assembly's version; reading it needs no reflection over members, so AOT keeps it.
    private static string? Version => typeof(PotteryInstruments).Assembly.GetName().Version?.ToString();
}

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

    /// <summary>How long acquisitions (of a lock, a semaphore permit, a read or a write) took, by outcome and kind.</summary>
    public static readonly Histogram<double> LockAcquireDuration = Meter.CreateHistogram<double>("pottery.lock.acquire.duration", "s", "How long acquiring a lock, a semaphore permit or a reader-writer lock's read or write took, waiting included, by outcome and kind.");

    /// <summary>Acquisitions by outcome and kind.</summary>
    public static readonly Counter<long> LockAcquisitions = Meter.CreateCounter<long>("pottery.lock.acquisitions", "{acquisition}", "Acquisition calls of locks, semaphore permits and reader-writer locks' reads and writes, by outcome and kind.");

    /// <summary>Acquisitions that found the primitive held (locally or in Redis) at least once.</summary>
    public static readonly Counter<long> LockContended = Meter.CreateCounter<long>("pottery.lock.contended", "{acquisition}", "Acquisition calls that found the lock, semaphore or reader-writer lock held by someone else at least once, by outcome and kind.");

    /// <summary>Lock steps that could not reach a quorum of masters.</summary>
    public static readonly Counter<long> LockQuorumFailures = Meter.CreateCounter<long>("pottery.lock.quorum.failures", "{failure}", "Lock steps that too few masters answered for a quorum, by operation.");

    /// <summary>Acquisitions whose validity ran out while held, by kind.</summary>
    public static readonly Counter<long> LockLost = Meter.CreateCounter<long>("pottery.lock.lost", "{acquisition}", "Acquisitions lost while held: the validity ran out, or the watchdog could not renew it, by kind.");

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

    /// <summary>Permits rate limiters granted or refused, by limiter kind and outcome.</summary>
    public static readonly Counter<long> RateLimiterPermits = Meter.CreateCounter<long>("pottery.rate_limiter.permits", "{permit}", "Permits asked of a Redis rate limiter, by limiter kind and whether they were granted or refused.");

    /// <summary>Messages published to topics.</summary>
    public static readonly Counter<long> TopicPublished = Meter.CreateCounter<long>("pottery.topic.published", "{message}", "Messages this process published to a topic, reliable or not.");

    /// <summary>Messages received by subscriptions of pub/sub topics.</summary>
    public static readonly Counter<long> TopicReceived = Meter.CreateCounter<long>("pottery.topic.received", "{message}", "Messages a RedisTopic subscription of this process received.");

    /// <summary>Deliveries of reliable topics' messages to consumers.</summary>
    public static readonly Counter<long> TopicDelivered = Meter.CreateCounter<long>("pottery.topic.delivered", "{delivery}", "Reliable topic messages handed to a consumer of this process, redeliveries included.");

    /// <summary>Reliable topics' messages acknowledged.</summary>
    public static readonly Counter<long> TopicAcknowledged = Meter.CreateCounter<long>("pottery.topic.acknowledged", "{message}", "Reliable topic deliveries this process acknowledged while they were pending.");

    /// <summary>Deliveries of reliable topics' messages that were delivered before.</summary>
    public static readonly Counter<long> TopicRedeliveries = Meter.CreateCounter<long>("pottery.topic.redeliveries", "{delivery}", "Reliable topic messages handed out again in a group after an earlier delivery was not acknowledged within the visibility timeout.");

    /// <summary>Reliable topics' messages moved to the dead-letter stream.</summary>
    public static readonly Counter<long> TopicDeadLetters = Meter.CreateCounter<long>("pottery.topic.dead_letters", "{message}", "Reliable topic messages moved to the dead-letter stream after their last allowed delivery in a group.");

    // The meter and source report the assembly's version; reading it needs no reflection over members, so AOT keeps it.
    private static string? Version => typeof(PotteryInstruments).Assembly.GetName().Version?.ToString();
}

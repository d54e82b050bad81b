namespace Pottery;

/// <summary>
/// The attribute names Pottery puts on its metrics and spans: OpenTelemetry's database conventions
/// where one fits, <c>pottery.*</c> names otherwise.
/// </summary>
internal static class TelemetryTags
{
    /// <summary>OpenTelemetry's <c>db.system.name</c>; always <see cref="Redis"/>.</summary>
    public const string DbSystemName = "db.system.name";

    /// <summary>The value of <see cref="DbSystemName"/>.</summary>
    public const string Redis = "redis";

    /// <summary>OpenTelemetry's <c>db.namespace</c>: for Redis, the database number.</summary>
    public const string DbNamespace = "db.namespace";

    /// <summary>OpenTelemetry's <c>error.type</c>: the exception's type, on failed spans.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The lock's name as given (not its Redis key).</summary>
    public const string LockName = "pottery.lock.name";

    /// <summary>How a lock acquisition ended; see <see cref="LockOutcomes"/>.</summary>
    public const string LockOutcome = "pottery.lock.outcome";

    /// <summary>Which primitive an acquisition or loss is of; see <see cref="LockKinds"/>.</summary>
    public const string LockKind = "pottery.lock.kind";

    /// <summary>Which lock step could not reach a quorum: <c>acquire</c>, <c>extend</c>, <c>release</c> or <c>held_for</c>.</summary>
    public const string LockOperation = "pottery.lock.operation";

    /// <summary>The queue's key.</summary>
    public const string QueueName = "pottery.queue.name";

    /// <summary>How a dequeue ended: <c>item</c>, <c>empty</c> or <c>error</c>.</summary>
    public const string QueueOutcome = "pottery.queue.outcome";

    /// <summary>The memoized function's cache key.</summary>
    public const string CacheName = "pottery.cache.name";

    /// <summary>On <c>pottery.cache.compute</c>: whether this process computed the result (false: another's computation was found).</summary>
    public const string CacheComputed = "pottery.cache.computed";

    /// <summary>The Bloom filter's key.</summary>
    public const string BloomName = "pottery.bloom.name";

    /// <summary>Which rate limiter granted or refused: <c>token_bucket</c> or <c>sliding_window</c>.</summary>
    public const string RateLimiterKind = "pottery.rate_limiter.kind";

    /// <summary>Whether a rate limiter granted the permits asked for: <c>granted</c> or <c>refused</c>.</summary>
    public const string RateLimiterOutcome = "pottery.rate_limiter.outcome";

    /// <summary>The topic's name: a <see cref="RedisTopic{T}"/>'s channel name, a <see cref="RedisReliableTopic{T}"/>'s key.</summary>
    public const string TopicName = "pottery.topic.name";

    /// <summary>The consumer group of a <see cref="RedisReliableTopic{T}"/> that received a message.</summary>
    public const string TopicGroup = "pottery.topic.group";

    /// <summary>A message's id: a reliable topic's stream id (absent for a pub/sub topic's messages, which have none).</summary>
    public const string MessageId = "messaging.message.id";

    private static readonly string[] SmallDatabases = [.. Enumerable.Range(0, 16).Select(static n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>A database number as <see cref="DbNamespace"/> wants it, without allocating for the usual 0-15.</summary>
    public static string Namespace(int database) =>
        (uint)database < (uint)SmallDatabases.Length ? SmallDatabases[database] : database.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

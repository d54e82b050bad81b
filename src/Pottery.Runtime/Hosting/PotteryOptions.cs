namespace Pottery;

/// <summary>
/// How <c>AddPottery</c> reaches Redis and the defaults of the primitives it registers; bound from the
/// configuration section <see cref="SectionName"/> (<c>"Pottery"</c>), then changed by the code's own
/// <c>configure</c> delegate, and checked when the host starts.
/// </summary>
/// <remarks>
/// Codecs are not chosen here: a codec belongs to a type, chosen at compile time (the generator for
/// <c>[MessagePackObject]</c> types and types a <c>JsonSerializerContext</c> lists) or registered with <see cref="RedisCodecs.Register{T}(IRedisCodec{T})"/>, and each
/// typed registration also takes a codec of its own.
/// </remarks>
public sealed class PotteryOptions
{
    /// <summary>The configuration section bound by default: <c>Pottery</c>.</summary>
    public const string SectionName = "Pottery";

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,password=…</c>) from which Pottery
    /// makes, and later disposes, a connection of its own. When empty, Pottery uses the
    /// <c>IConnectionMultiplexer</c> registered in the container (by Aspire's <c>AddRedisClient</c>, say).
    /// Unless the string says <c>abortConnect</c>, Pottery's connections do not fail while Redis is
    /// down; they keep reconnecting, and the health checks say so.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>A prefix Pottery puts in front of every key it sends (StackExchange.Redis' <c>WithKeyPrefix</c>), lock keys on every master included; none when empty.</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>The database number on the main connection; the connection's default (its <c>defaultDatabase</c>, else 0) when not set.</summary>
    public int? Database { get; set; }

    /// <summary>
    /// Configuration strings of more independent Redis masters for Redlock locks and ID generators:
    /// their masters are the main database followed by one database per string (so two strings make
    /// three masters, and a quorum of two). Empty by default: the main database alone.
    /// </summary>
    public IList<string> LockMasters { get; } = [];

    /// <summary>How long a registered lock's acquisition lasts unless extended; <see cref="Redlock.DefaultAutoReleaseTime"/> (10 s) by default.</summary>
    public TimeSpan LockAutoReleaseTime { get; set; } = Redlock.DefaultAutoReleaseTime;

    /// <summary>How many times one acquisition of a registered lock may be extended; 3 by default.</summary>
    public int LockMaxExtensions { get; set; } = 3;

    /// <summary>How long a delivery of a registered <see cref="RedisQueue{T}"/> stays in flight without an acknowledgement; <see cref="RedisQueue{T}.DefaultVisibilityTimeout"/> (30 s) by default.</summary>
    public TimeSpan QueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after its last access a registered memoized function's cache is deleted; <see cref="RedisCache.DefaultTimeout"/> (60 s) by default, never with <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan CacheTimeout { get; set; } = RedisCache.DefaultTimeout;

    /// <summary>How long the health checks wait for each server's answer to <c>PING</c>; 5 s by default.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

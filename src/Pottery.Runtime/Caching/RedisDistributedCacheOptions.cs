namespace Pottery;

/// <summary>Options of a <see cref="RedisDistributedCache"/>.</summary>
public sealed class RedisDistributedCacheOptions
{
    /// <summary>What goes before every cache key in Redis; empty by default (the database's own key prefix applies as well).</summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>
    /// How long a miss reserves its key for the caller to compute and store the value, while other
    /// callers, in any process, wait for it instead of computing it too; 10 s by default.
    /// <see langword="null"/> turns single flight off: every miss is only a miss.
    /// </summary>
    /// <remarks>
    /// A caller that misses and never stores (its computation failed) holds the key until the
    /// reservation ends; the waiters then try themselves.
    /// </remarks>
    public TimeSpan? SingleFlightLease { get; set; } = TimeSpan.FromSeconds(10);
}

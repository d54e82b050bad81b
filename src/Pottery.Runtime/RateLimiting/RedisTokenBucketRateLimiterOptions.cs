namespace Pottery;

/// <summary>
/// How a <see cref="RedisTokenBucketRateLimiter"/> limits: named as the BCL's
/// <see cref="System.Threading.RateLimiting.TokenBucketRateLimiterOptions"/>. The limiter checks the
/// values when it is created and copies them, so changing the options afterwards changes nothing.
/// </summary>
/// <remarks>
/// Every process using one key must use the same <see cref="TokenLimit"/>, <see cref="TokensPerPeriod"/>
/// and <see cref="ReplenishmentPeriod"/>: the bucket's state is shared, its rules are those of each caller.
/// <see cref="QueueLimit"/> is per limiter object.
/// </remarks>
public sealed class RedisTokenBucketRateLimiterOptions
{
    /// <summary>The most tokens the bucket holds (its capacity, and the largest burst); must be positive. A bucket nobody used is full.</summary>
    public int TokenLimit { get; set; }

    /// <summary>How many tokens each <see cref="ReplenishmentPeriod"/> adds, up to <see cref="TokenLimit"/>; must be positive.</summary>
    public int TokensPerPeriod { get; set; }

    /// <summary>How often <see cref="TokensPerPeriod"/> tokens are added, by the Redis server's clock; at least 1 ms and at most <see cref="int.MaxValue"/> milliseconds.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; }

    /// <summary>
    /// The most permits that <c>AcquireAsync</c> callers of this limiter object may wait for at once;
    /// 0 (the default) refuses at once rather than waiting. Must not be negative.
    /// </summary>
    public int QueueLimit { get; set; }

    /// <summary>
    /// Whether <c>AttemptAcquire</c>, the synchronous try, refuses at once without asking Redis (a
    /// refused lease without <c>RetryAfter</c>, counted nowhere). Set it where callers try
    /// synchronously first and then wait with <c>AcquireAsync</c>, as ASP.NET Core's rate-limiting
    /// middleware does: each request then asks Redis once, asynchronously, instead of blocking a
    /// thread-pool thread for a round trip (and asking a second time when refused). False (the
    /// default): <c>AttemptAcquire</c> asks Redis and blocks until it answers.
    /// </summary>
    public bool RefuseSynchronousAttempts { get; set; }
}

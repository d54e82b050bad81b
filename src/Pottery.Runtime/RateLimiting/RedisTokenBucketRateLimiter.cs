using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A token bucket shared by every process that uses its key: a <see cref="RateLimiter"/>, so it plugs
/// into ASP.NET Core's rate-limiting middleware, Polly's rate limiter strategy, or any code written
/// against <see cref="RateLimiter"/>. The bucket holds up to <see cref="RedisTokenBucketRateLimiterOptions.TokenLimit"/>
/// tokens and gains <see cref="RedisTokenBucketRateLimiterOptions.TokensPerPeriod"/> every
/// <see cref="RedisTokenBucketRateLimiterOptions.ReplenishmentPeriod"/>; each permit granted takes one.
/// </summary>
/// <remarks>
/// <para>Each acquire is one Lua script on the server: it adds the tokens due by the server's clock,
/// takes the permits or refuses, in one atomic step. Grants from any number of processes together
/// therefore never exceed the bucket: between any two instants at most <c>TokenLimit +
/// TokensPerPeriod × (whole periods between them + 1)</c> permits are granted. The bucket is one hash
/// at <see cref="Key"/> (fields <c>tokens</c> and <c>time</c>), so it lives in one cluster slot; it
/// expires once it would be full again, so an unused limiter leaves nothing in Redis.</para>
/// <para><see cref="RateLimiter.AttemptAcquire"/> is synchronous in <see cref="RateLimiter"/>'s API:
/// it sends the script and blocks the calling thread until the reply (Pottery's sync twins do the
/// same, with no synchronization context captured). Prefer <see cref="RateLimiter.AcquireAsync"/> on
/// hot async paths. ASP.NET Core's rate-limiting middleware tries <c>AttemptAcquire</c> first and
/// then <c>AcquireAsync</c>: behind it, set <see cref="RedisTokenBucketRateLimiterOptions.RefuseSynchronousAttempts"/>, so that
/// the synchronous try refuses without asking and each request asks Redis once, asynchronously.</para>
/// <para>A refused lease carries <see cref="MetadataName.RetryAfter"/>: how long until the tokens asked
/// for will be there, computed by the script. <c>AcquireAsync</c> waits for refused permits when
/// they fit in <see cref="RedisTokenBucketRateLimiterOptions.QueueLimit"/> (counted in this limiter
/// object), sleeping exactly that long between tries, so it neither polls nor needs announcements;
/// waiters are not served in arrival order. A failure to reach Redis is thrown
/// (<see cref="RedisUnavailableException"/>), not turned into a refusal or a grant.</para>
/// <para>Disposing the limiter hands waiting callers refused leases; it leaves the bucket in Redis.
/// Leases hold nothing: disposing one returns no token.</para>
/// </remarks>
public sealed class RedisTokenBucketRateLimiter : RateLimiter
{
    private readonly RateLimitCore _core;

    /// <summary>Creates a limiter over the bucket at <paramref name="key"/>.</summary>
    /// <param name="database">The Redis database; its key prefix (<c>WithKeyPrefix</c>) applies.</param>
    /// <param name="key">The bucket's key, shared by every process that limits together.</param>
    /// <param name="options">The bucket's rules; checked and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RedisTokenBucketRateLimiterOptions.TokenLimit"/> or <see cref="RedisTokenBucketRateLimiterOptions.TokensPerPeriod"/> is not positive, <see cref="RedisTokenBucketRateLimiterOptions.QueueLimit"/> is negative, or <see cref="RedisTokenBucketRateLimiterOptions.ReplenishmentPeriod"/> is shorter than 1 ms or longer than <see cref="int.MaxValue"/> milliseconds.</exception>
    public RedisTokenBucketRateLimiter(IDatabase database, RedisKey key, RedisTokenBucketRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        if ((byte[]?)key is not { Length: > 0 })
        {
            throw new ArgumentException("A rate limiter needs a key.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.TokenLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.TokensPerPeriod);
        ArgumentOutOfRangeException.ThrowIfNegative(options.QueueLimit);
        var period = RateLimitCore.Microseconds(options.ReplenishmentPeriod, "options.ReplenishmentPeriod");
        (Key, TokenLimit, TokensPerPeriod, ReplenishmentPeriod, QueueLimit, RefuseSynchronousAttempts) = (key, options.TokenLimit, options.TokensPerPeriod, options.ReplenishmentPeriod, options.QueueLimit, options.RefuseSynchronousAttempts);
        RedisValue limit = TokenLimit, rate = TokensPerPeriod, micros = period;
        _core = new(database, key, RedisType.Hash, RateLimitScripts.TokenBucket, permits => [limit, rate, micros, permits], TokenLimit, nameof(TokenLimit), QueueLimit, RateLimiterTelemetry.TokenBucket, options.RefuseSynchronousAttempts);
    }

    /// <summary>The bucket's key.</summary>
    public RedisKey Key { get; }

    /// <summary>The most tokens the bucket holds.</summary>
    public int TokenLimit { get; }

    /// <summary>How many tokens each <see cref="ReplenishmentPeriod"/> adds.</summary>
    public int TokensPerPeriod { get; }

    /// <summary>How often <see cref="TokensPerPeriod"/> tokens are added.</summary>
    public TimeSpan ReplenishmentPeriod { get; }

    /// <summary>The most permits callers of this object may wait for at once.</summary>
    public int QueueLimit { get; }

    /// <summary>Whether <c>AttemptAcquire</c> refuses at once without asking Redis (<see cref="RedisTokenBucketRateLimiterOptions.RefuseSynchronousAttempts"/>).</summary>
    public bool RefuseSynchronousAttempts { get; }

    /// <summary>
    /// <see langword="null"/> while a caller of this object waits for permits; otherwise how long
    /// since this object last asked Redis. The object holds nothing but statistics, so callers that
    /// drop idle limiters (ASP.NET Core's partitioned limiter) lose nothing by dropping it.
    /// </summary>
    public override TimeSpan? IdleDuration => _core.IdleDuration;

    /// <summary>
    /// This object's statistics. <see cref="RateLimiterStatistics.CurrentAvailablePermits"/> is the
    /// bucket's tokens as the last reply to this object counted them (without a round trip);
    /// the other counts are this object's own.
    /// </summary>
    /// <returns>A snapshot.</returns>
    public override RateLimiterStatistics? GetStatistics() => _core.Statistics();

    /// <summary>Tries once to take <paramref name="permitCount"/> tokens, blocking the thread for the round trip.</summary>
    /// <param name="permitCount">The tokens wanted; 0 asks whether any is available and takes none.</param>
    /// <returns>A granted lease, or a refused one carrying <see cref="MetadataName.RetryAfter"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permitCount"/> exceeds <see cref="TokenLimit"/>.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    /// <exception cref="WrongTypeException"><see cref="Key"/> holds something other than a hash.</exception>
    /// <exception cref="RedisUnavailableException">Redis could not be reached or did not answer in time.</exception>
    /// <remarks>With <see cref="RefuseSynchronousAttempts"/>, refuses at once without asking Redis (a lease without metadata, not counted in the statistics).</remarks>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => _core.Attempt(permitCount);

    /// <summary>
    /// Takes <paramref name="permitCount"/> tokens, waiting for them when they fit in
    /// <see cref="QueueLimit"/>; refuses at once when they do not.
    /// </summary>
    /// <param name="permitCount">The tokens wanted; 0 waits until any is available and takes none.</param>
    /// <param name="cancellationToken">Stops waiting; tokens a try in flight takes stay taken.</param>
    /// <returns>A granted lease; or a refused one carrying <see cref="MetadataName.RetryAfter"/> when the queue is full or the limiter is disposed while waiting.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permitCount"/> exceeds <see cref="TokenLimit"/>.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="WrongTypeException"><see cref="Key"/> holds something other than a hash.</exception>
    /// <exception cref="RedisUnavailableException">Redis could not be reached or did not answer in time.</exception>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => _core.AcquireAsync(permitCount, cancellationToken);

    /// <summary>Hands waiting callers refused leases and refuses further calls; the bucket stays in Redis. <see cref="RateLimiter.DisposeAsync"/> does the same.</summary>
    /// <param name="disposing">Whether called from <see cref="RateLimiter.Dispose()"/> rather than <see cref="RateLimiter.DisposeAsync"/>; both dispose alike.</param>
    protected override void Dispose(bool disposing)
    {
        // Nothing but a cancellation source to cancel, so the async path (which passes false) does it too.
        _core.Dispose();
        base.Dispose(disposing);
    }
}

using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// An exact sliding window shared by every process that uses its key: at most
/// <see cref="RedisSlidingWindowRateLimiterOptions.PermitLimit"/> permits are granted within any
/// <see cref="RedisSlidingWindowRateLimiterOptions.Window"/>, however the window is placed. A
/// <see cref="RateLimiter"/>, so it plugs into ASP.NET Core's rate-limiting middleware, Polly's rate
/// limiter strategy, or any code written against <see cref="RateLimiter"/>.
/// </summary>
/// <remarks>
/// <para>Each acquire is one Lua script on the server: it drops the grants older than the window by
/// the server's clock, counts the rest and grants or refuses, in one atomic step, so grants from any
/// number of processes together never exceed the limit in any window. Unlike the BCL's
/// <see cref="SlidingWindowRateLimiter"/> the window is not cut into segments: the limiter keeps one
/// sorted-set member per permit granted within the last window, scored by its grant time, at
/// <see cref="Key"/> (one key, so one cluster slot). Memory is therefore proportional to
/// <see cref="PermitLimit"/>; for limits of many thousands per window a <see cref="RedisTokenBucketRateLimiter"/>
/// costs less. The key expires one window after the last grant.</para>
/// <para><see cref="RateLimiter.AttemptAcquire"/> is synchronous in <see cref="RateLimiter"/>'s API:
/// it sends the script and blocks the calling thread until the reply (Pottery's sync twins do the
/// same, with no synchronization context captured). Prefer <see cref="RateLimiter.AcquireAsync"/> on
/// hot async paths. ASP.NET Core's rate-limiting middleware tries <c>AttemptAcquire</c> first and
/// then <c>AcquireAsync</c>: behind it, set <see cref="RedisSlidingWindowRateLimiterOptions.RefuseSynchronousAttempts"/>, so that
/// the synchronous try refuses without asking and each request asks Redis once, asynchronously.</para>
/// <para>A refused lease carries <see cref="MetadataName.RetryAfter"/>: how long until enough of the
/// window's grants leave it, computed by the script. <c>AcquireAsync</c> waits for refused permits
/// when they fit in <see cref="RedisSlidingWindowRateLimiterOptions.QueueLimit"/> (counted in this
/// limiter object), sleeping exactly that long between tries, so it neither polls nor needs
/// announcements; waiters are not served in arrival order. A failure to reach Redis is thrown
/// (<see cref="RedisUnavailableException"/>), not turned into a refusal or a grant.</para>
/// <para>Disposing the limiter hands waiting callers refused leases; it leaves the window in Redis.
/// Leases hold nothing: disposing one does not take its grant back out of the window.</para>
/// </remarks>
public sealed class RedisSlidingWindowRateLimiter : RateLimiter
{
    private readonly RateLimitCore _core;
    private readonly RedisValue _limit;
    private readonly RedisValue _window;

    // Members are this object's random token and a call number, so no two calls anywhere share one.
    private readonly string _token = LockTokens.Next() + ":";
    private long _calls;

    /// <summary>Creates a limiter over the window at <paramref name="key"/>.</summary>
    /// <param name="database">The Redis database; its key prefix (<c>WithKeyPrefix</c>) applies.</param>
    /// <param name="key">The window's key, shared by every process that limits together.</param>
    /// <param name="options">The window's rules; checked and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RedisSlidingWindowRateLimiterOptions.PermitLimit"/> is not positive, <see cref="RedisSlidingWindowRateLimiterOptions.QueueLimit"/> is negative, or <see cref="RedisSlidingWindowRateLimiterOptions.Window"/> is shorter than 1 ms or longer than <see cref="int.MaxValue"/> milliseconds.</exception>
    public RedisSlidingWindowRateLimiter(IDatabase database, RedisKey key, RedisSlidingWindowRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        if ((byte[]?)key is not { Length: > 0 })
        {
            throw new ArgumentException("A rate limiter needs a key.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PermitLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(options.QueueLimit);
        _window = RateLimitCore.Microseconds(options.Window, "options.Window");
        (Key, PermitLimit, Window, QueueLimit, RefuseSynchronousAttempts, _limit) = (key, options.PermitLimit, options.Window, options.QueueLimit, options.RefuseSynchronousAttempts, options.PermitLimit);
        _core = new(database, key, RedisType.SortedSet, RateLimitScripts.SlidingWindow, Arguments, PermitLimit, nameof(PermitLimit), QueueLimit, RateLimiterTelemetry.SlidingWindow, options.RefuseSynchronousAttempts);
    }

    /// <summary>The window's key.</summary>
    public RedisKey Key { get; }

    /// <summary>The most permits granted within any <see cref="Window"/>.</summary>
    public int PermitLimit { get; }

    /// <summary>The window's length.</summary>
    public TimeSpan Window { get; }

    /// <summary>The most permits callers of this object may wait for at once.</summary>
    public int QueueLimit { get; }

    /// <summary>Whether <c>AttemptAcquire</c> refuses at once without asking Redis (<see cref="RedisSlidingWindowRateLimiterOptions.RefuseSynchronousAttempts"/>).</summary>
    public bool RefuseSynchronousAttempts { get; }

    /// <summary>
    /// <see langword="null"/> while a caller of this object waits for permits; otherwise how long
    /// since this object last asked Redis. The object holds nothing but statistics, so callers that
    /// drop idle limiters (ASP.NET Core's partitioned limiter) lose nothing by dropping it.
    /// </summary>
    public override TimeSpan? IdleDuration => _core.IdleDuration;

    /// <summary>
    /// This object's statistics. <see cref="RateLimiterStatistics.CurrentAvailablePermits"/> is what the
    /// window had left as the last reply to this object counted it (without a round trip); the
    /// other counts are this object's own.
    /// </summary>
    /// <returns>A snapshot.</returns>
    public override RateLimiterStatistics? GetStatistics() => _core.Statistics();

    /// <summary>Tries once to be granted <paramref name="permitCount"/> permits, blocking the thread for the round trip.</summary>
    /// <param name="permitCount">The permits wanted; 0 asks whether any is available and takes none.</param>
    /// <returns>A granted lease, or a refused one carrying <see cref="MetadataName.RetryAfter"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permitCount"/> exceeds <see cref="PermitLimit"/>.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    /// <exception cref="WrongTypeException"><see cref="Key"/> holds something other than a sorted set.</exception>
    /// <exception cref="RedisUnavailableException">Redis could not be reached or did not answer in time.</exception>
    /// <remarks>With <see cref="RefuseSynchronousAttempts"/>, refuses at once without asking Redis (a lease without metadata, not counted in the statistics).</remarks>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => _core.Attempt(permitCount);

    /// <summary>
    /// Is granted <paramref name="permitCount"/> permits, waiting for them when they fit in
    /// <see cref="QueueLimit"/>; refuses at once when they do not.
    /// </summary>
    /// <param name="permitCount">The permits wanted; 0 waits until any is available and takes none.</param>
    /// <param name="cancellationToken">Stops waiting; permits a try in flight is granted stay granted.</param>
    /// <returns>A granted lease; or a refused one carrying <see cref="MetadataName.RetryAfter"/> when the queue is full or the limiter is disposed while waiting.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permitCount"/> exceeds <see cref="PermitLimit"/>.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="WrongTypeException"><see cref="Key"/> holds something other than a sorted set.</exception>
    /// <exception cref="RedisUnavailableException">Redis could not be reached or did not answer in time.</exception>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => _core.AcquireAsync(permitCount, cancellationToken);

    /// <summary>Hands waiting callers refused leases and refuses further calls; the window stays in Redis. <see cref="RateLimiter.DisposeAsync"/> does the same.</summary>
    /// <param name="disposing">Whether called from <see cref="RateLimiter.Dispose()"/> rather than <see cref="RateLimiter.DisposeAsync"/>; both dispose alike.</param>
    protected override void Dispose(bool disposing)
    {
        // Nothing but a cancellation source to cancel, so the async path (which passes false) does it too.
        _core.Dispose();
        base.Dispose(disposing);
    }

    private RedisValue[] Arguments(int permits) =>
        [_limit, _window, permits, string.Concat(_token, Interlocked.Increment(ref _calls).ToString(System.Globalization.CultureInfo.InvariantCulture), ":")];
}

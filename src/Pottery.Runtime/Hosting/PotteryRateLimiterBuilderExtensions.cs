using System.Threading.RateLimiting;
using Pottery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers rate limiters shared by every process as keyed singletons over
/// <see cref="PotteryRedis.Database"/>: resolve one as its own type or as <see cref="RateLimiter"/>
/// (<c>[FromKeyedServices("api")] RateLimiter limiter</c>).
/// </summary>
public static class PotteryRateLimiterBuilderExtensions
{
    /// <summary>Registers a <see cref="RedisTokenBucketRateLimiter"/> over the bucket at <paramref name="key"/>, keyed by <paramref name="key"/>, also as <see cref="RateLimiter"/>.</summary>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The bucket's Redis key and service key.</param>
    /// <param name="options">The bucket's rules; checked and copied when the limiter is first resolved.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static IPotteryBuilder AddTokenBucketRateLimiter(this IPotteryBuilder builder, string key, RedisTokenBucketRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AddLimiter(builder, key, database => new RedisTokenBucketRateLimiter(database, key, options));
    }

    /// <summary>Registers a <see cref="RedisSlidingWindowRateLimiter"/> over the window at <paramref name="key"/>, keyed by <paramref name="key"/>, also as <see cref="RateLimiter"/>.</summary>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The window's Redis key and service key.</param>
    /// <param name="options">The window's rules; checked and copied when the limiter is first resolved.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static IPotteryBuilder AddSlidingWindowRateLimiter(this IPotteryBuilder builder, string key, RedisSlidingWindowRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AddLimiter(builder, key, database => new RedisSlidingWindowRateLimiter(database, key, options));
    }

    // The limiter under its key, and the same instance as a plain RateLimiter for middleware and Polly.
    private static IPotteryBuilder AddLimiter<TLimiter>(IPotteryBuilder builder, string key, Func<StackExchange.Redis.IDatabase, TLimiter> create)
        where TLimiter : RateLimiter
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => create(sp.GetRequiredService<PotteryRedis>().Database));
        builder.Services.AddKeyedSingleton<RateLimiter>(key, static (sp, serviceKey) => sp.GetRequiredKeyedService<TLimiter>(serviceKey));
        return builder;
    }
}

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
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddKeyedSingleton(key, (sp, _) => new RedisTokenBucketRateLimiter(sp.GetRequiredService<PotteryRedis>().Database, key, options));
        builder.Services.AddKeyedSingleton<RateLimiter>(key, static (sp, serviceKey) => sp.GetRequiredKeyedService<RedisTokenBucketRateLimiter>(serviceKey));
        return builder;
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
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddKeyedSingleton(key, (sp, _) => new RedisSlidingWindowRateLimiter(sp.GetRequiredService<PotteryRedis>().Database, key, options));
        builder.Services.AddKeyedSingleton<RateLimiter>(key, static (sp, serviceKey) => sp.GetRequiredKeyedService<RedisSlidingWindowRateLimiter>(serviceKey));
        return builder;
    }
}

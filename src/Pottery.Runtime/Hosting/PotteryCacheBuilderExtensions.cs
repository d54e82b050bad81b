using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pottery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Pottery's <see cref="RedisDistributedCache"/> as the host's distributed cache.</summary>
public static class PotteryCacheBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="RedisDistributedCache"/> on <see cref="PotteryRedis.Database"/> as
    /// <see cref="IDistributedCache"/> and <see cref="IBufferDistributedCache"/>, replacing any
    /// registered before: HybridCache (<c>AddHybridCache</c>) then uses it as its second level, and a
    /// value is computed once across every process of the app.
    /// </summary>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="configure">Changes the cache's options (key prefix, single-flight lease).</param>
    /// <returns>The builder.</returns>
    public static IPotteryBuilder AddDistributedCache(this IPotteryBuilder builder, Action<RedisDistributedCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IDistributedCache>();
        builder.Services.RemoveAll<IBufferDistributedCache>();
        builder.Services.AddSingleton(sp =>
        {
            var options = new RedisDistributedCacheOptions();
            configure?.Invoke(options);
            return new RedisDistributedCache(sp.GetRequiredService<PotteryRedis>().Database, options);
        });
        builder.Services.AddSingleton<IDistributedCache>(sp => sp.GetRequiredService<RedisDistributedCache>());
        builder.Services.AddSingleton<IBufferDistributedCache>(sp => sp.GetRequiredService<RedisDistributedCache>());
        return builder;
    }
}

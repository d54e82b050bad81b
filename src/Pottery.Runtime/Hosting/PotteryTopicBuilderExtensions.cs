using Pottery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers topics as keyed singletons over <see cref="PotteryRedis.Database"/> (resolve one with
/// <c>[FromKeyedServices("orders")]</c>).
/// </summary>
public static class PotteryTopicBuilderExtensions
{
    /// <summary>Registers a <see cref="RedisTopic{T}"/> (publish/subscribe, at most once) on the channel <paramref name="name"/>, keyed by <paramref name="name"/>.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="name">The channel's name (behind the key prefix) and service key.</param>
    /// <param name="codec">How messages are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IPotteryBuilder AddTopic<T>(this IPotteryBuilder builder, string name, IRedisCodec<T>? codec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton(name, (sp, _) => new RedisTopic<T>(sp.GetRequiredService<PotteryRedis>().Database, name, codec));
        return builder;
    }

    /// <summary>Registers a <see cref="RedisReliableTopic{T}"/> (a stream: every consumer group receives every message at least once) at <paramref name="key"/>, keyed by <paramref name="key"/>.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The stream's Redis key and service key.</param>
    /// <param name="maxLength">About how many messages to keep; 0 for no bound.</param>
    /// <param name="maxAge">How long to keep messages; <see langword="null"/> for ever.</param>
    /// <param name="visibilityTimeout">How long a delivery stays pending without an acknowledgement; <see cref="RedisReliableTopic{T}.DefaultVisibilityTimeout"/> by default.</param>
    /// <param name="maxDeliveries">How many times a message is delivered in a group before it goes to the dead-letter stream; 0 for no limit.</param>
    /// <param name="codec">How messages are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static IPotteryBuilder AddReliableTopic<T>(this IPotteryBuilder builder, string key, long maxLength = 0, TimeSpan? maxAge = null, TimeSpan? visibilityTimeout = null, int maxDeliveries = 0, IRedisCodec<T>? codec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => new RedisReliableTopic<T>(sp.GetRequiredService<PotteryRedis>().Database, key, maxLength, maxAge, visibilityTimeout, maxDeliveries, codec));
        return builder;
    }
}

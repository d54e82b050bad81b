using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pottery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers queues as keyed singletons over <see cref="PotteryRedis.Database"/> (resolve one with
/// <c>[FromKeyedServices("jobs")]</c>), and hosted consumers that process a <see cref="RedisQueue{T}"/>.
/// </summary>
public static class PotteryQueueBuilderExtensions
{
    /// <summary>Registers a <see cref="RedisQueue{T}"/> (at-least-once delivery, acknowledgements) at <paramref name="key"/>, keyed by <paramref name="key"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The queue's Redis key and service key.</param>
    /// <param name="capacity">The most items waiting; 0 for no bound.</param>
    /// <param name="visibilityTimeout">How long a delivery stays in flight without an acknowledgement; <see cref="PotteryOptions.QueueVisibilityTimeout"/> by default.</param>
    /// <param name="maxDeliveries">How many times an item is handed out before it goes to the dead-letter list; 0 for no limit.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static IPotteryBuilder AddQueue<T>(this IPotteryBuilder builder, string key, int capacity = 0, TimeSpan? visibilityTimeout = null, int maxDeliveries = 0, IRedisCodec<T>? codec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => Queue(sp, key, capacity, visibilityTimeout, maxDeliveries, codec));
        return builder;
    }

    /// <summary>Registers a <see cref="RedisSimpleQueue{T}"/> (at-most-once, no acknowledgements) at <paramref name="key"/>, keyed by <paramref name="key"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The queue's Redis key and service key.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static IPotteryBuilder AddSimpleQueue<T>(this IPotteryBuilder builder, string key, IRedisCodec<T>? codec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => new RedisSimpleQueue<T>(sp.GetRequiredService<PotteryRedis>().Database, key, codec));
        return builder;
    }

    /// <summary>Registers a <see cref="RedisLifoQueue{T}"/> at <paramref name="key"/>, keyed by <paramref name="key"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The queue's Redis key and service key.</param>
    /// <param name="capacity">The most items waiting; 0 for no bound.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static IPotteryBuilder AddLifoQueue<T>(this IPotteryBuilder builder, string key, int capacity = 0, IRedisCodec<T>? codec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => new RedisLifoQueue<T>(sp.GetRequiredService<PotteryRedis>().Database, key, capacity, codec));
        return builder;
    }

    /// <summary>Registers a <see cref="RedisPriorityQueue{T}"/> at <paramref name="key"/>, keyed by <paramref name="key"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The queue's Redis key and service key.</param>
    /// <param name="capacity">The most items waiting; 0 for no bound.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static IPotteryBuilder AddPriorityQueue<T>(this IPotteryBuilder builder, string key, int capacity = 0, IRedisCodec<T>? codec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => new RedisPriorityQueue<T>(sp.GetRequiredService<PotteryRedis>().Database, key, capacity, codec));
        return builder;
    }

    /// <summary>
    /// Runs a hosted consumer of the <see cref="RedisQueue{T}"/> keyed by <paramref name="key"/> (the one
    /// <see cref="AddQueue"/> registered, else one with the default settings): it takes items as they
    /// come and hands each to a <typeparamref name="THandler"/> resolved from a service scope of its own.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="THandler">The handler; registered as scoped unless registered already.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The queue's service key.</param>
    /// <param name="concurrency">How many items are processed at once.</param>
    /// <param name="abandonOnFailure">
    /// What happens to an item whose handler throws: handed out again at once (<see langword="true"/>, the
    /// default, <see cref="RedisQueue{T}.AbandonAsync"/>), or left in flight until the visibility timeout
    /// hands it out again, which spaces retries out. Either way it counts towards the queue's
    /// <c>maxDeliveries</c>, after which it goes to the dead-letter list: give <see cref="AddQueue"/> a
    /// <c>maxDeliveries</c>, or an item that always fails is retried for ever.
    /// </param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// A handler's success acknowledges its delivery. When the host stops, the consumer takes no more
    /// items; handlers get a cancelled token and the host's shutdown timeout to finish; an item whose
    /// handler gives up by throwing is handed back at once, and one still running when the host gives up
    /// is handed out again after the visibility timeout. No item is lost.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="concurrency"/> is less than 1.</exception>
    public static IPotteryBuilder AddQueueConsumer<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IPotteryBuilder builder, string key, int concurrency = 1, bool abandonOnFailure = true)
        where THandler : class, IQueueHandler<T>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        builder.Services.TryAddKeyedSingleton(key, (sp, _) => Queue<T>(sp, key, 0, null, 0, null));
        builder.Services.TryAddScoped<THandler>();

        // Added, not TryAdded as AddHostedService would: consumers of the same types on other queues must all run.
        builder.Services.AddSingleton<IHostedService>(sp => new QueueConsumer<T, THandler>(
            sp,
            key,
            concurrency,
            abandonOnFailure,
            sp.GetService<ILoggerFactory>()?.CreateLogger("Pottery.QueueConsumer") ?? NullLogger.Instance));
        return builder;
    }

    private static RedisQueue<T> Queue<T>(IServiceProvider services, string key, int capacity, TimeSpan? visibilityTimeout, int maxDeliveries, IRedisCodec<T>? codec)
    {
        var redis = services.GetRequiredService<PotteryRedis>();
        return new RedisQueue<T>(redis.Database, key, capacity, visibilityTimeout ?? redis.Options.QueueVisibilityTimeout, maxDeliveries, null, codec);
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Pottery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers locks, semaphores, reader-writer locks, ID generators, Bloom filters, memoized functions
/// and generated classes as keyed singletons over <see cref="PotteryRedis"/>: resolve one with <c>[FromKeyedServices("name")]</c> or
/// <c>GetRequiredKeyedService&lt;T&gt;("name")</c>; several of one type coexist under different names.
/// Each is made when first resolved.
/// </summary>
public static class PotteryBuilderExtensions
{
    /// <summary>Registers a <see cref="Redlock"/> over <see cref="PotteryRedis.LockMasters"/>, keyed by <paramref name="name"/>.</summary>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="name">The lock's name (its Redis key is <c>redlock:&lt;name&gt;</c>) and service key.</param>
    /// <param name="autoReleaseTime">How long an acquisition lasts unless extended; <see cref="PotteryOptions.LockAutoReleaseTime"/> by default.</param>
    /// <param name="autoExtend">Whether each acquisition renews itself until released (<see cref="Redlock.AutoExtend"/>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IPotteryBuilder AddLock(this IPotteryBuilder builder, string name, TimeSpan? autoReleaseTime = null, bool autoExtend = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton(name, (sp, _) =>
        {
            var redis = sp.GetRequiredService<PotteryRedis>();
            return new Redlock(name, redis.LockMasters, autoReleaseTime ?? redis.Options.LockAutoReleaseTime, redis.Options.LockMaxExtensions) { AutoExtend = autoExtend };
        });
        return builder;
    }

    /// <summary>Registers a <see cref="RedisSemaphore"/> over <see cref="PotteryRedis.Database"/>, keyed by <paramref name="name"/>.</summary>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="name">The semaphore's name (its Redis key is <c>semaphore:{&lt;name&gt;}</c>) and service key.</param>
    /// <param name="permits">How many holders may hold a permit at once.</param>
    /// <param name="leaseTime">How long a permit lasts unless extended; <see cref="RedisSemaphore.DefaultLeaseTime"/> by default.</param>
    /// <param name="autoExtend">Whether each permit renews itself until released (<see cref="RedisSemaphore.AutoExtend"/>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permits"/> is not positive.</exception>
    public static IPotteryBuilder AddSemaphore(this IPotteryBuilder builder, string name, int permits, TimeSpan? leaseTime = null, bool autoExtend = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permits);
        builder.Services.AddKeyedSingleton(name, (sp, _) => new RedisSemaphore(name, sp.GetRequiredService<PotteryRedis>().Database, permits, leaseTime) { AutoExtend = autoExtend });
        return builder;
    }

    /// <summary>Registers a <see cref="RedisReaderWriterLock"/> over <see cref="PotteryRedis.Database"/>, keyed by <paramref name="name"/>.</summary>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="name">The lock's name (its Redis key is <c>rwlock:{&lt;name&gt;}</c>) and service key.</param>
    /// <param name="leaseTime">How long a read or write lasts unless extended; <see cref="RedisReaderWriterLock.DefaultLeaseTime"/> by default.</param>
    /// <param name="autoExtend">Whether each read or write renews itself until released (<see cref="RedisReaderWriterLock.AutoExtend"/>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IPotteryBuilder AddReaderWriterLock(this IPotteryBuilder builder, string name, TimeSpan? leaseTime = null, bool autoExtend = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton(name, (sp, _) => new RedisReaderWriterLock(name, sp.GetRequiredService<PotteryRedis>().Database, leaseTime) { AutoExtend = autoExtend });
        return builder;
    }

    /// <summary>Registers a <see cref="NextId"/> generator over <see cref="PotteryRedis.LockMasters"/>, keyed by <paramref name="name"/>.</summary>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="name">The generator's name (as <see cref="NextId"/>'s key) and service key.</param>
    /// <param name="maxTries">How many rounds one call tries before giving up.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IPotteryBuilder AddNextId(this IPotteryBuilder builder, string name, int maxTries = 3)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton(name, (sp, _) => new NextId(name, sp.GetRequiredService<PotteryRedis>().LockMasters, maxTries));
        return builder;
    }

    /// <summary>Registers a <see cref="BloomFilter{T}"/> at <paramref name="key"/> of the main database, keyed by <paramref name="key"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The filter's Redis key and service key.</param>
    /// <param name="capacity">How many elements are expected.</param>
    /// <param name="falsePositiveRate">The acceptable false-positive rate, between 0 and 1.</param>
    /// <param name="codec">How elements are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="backend">Where the bits live.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static IPotteryBuilder AddBloomFilter<T>(this IPotteryBuilder builder, string key, long capacity, double falsePositiveRate, IRedisCodec<T>? codec = null, BloomBackend backend = BloomBackend.BitString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => new BloomFilter<T>(sp.GetRequiredService<PotteryRedis>().Database, capacity, falsePositiveRate, key, codec, backend));
        return builder;
    }

    /// <summary>
    /// Registers a memoized function of one argument (see <see cref="RedisCache.Memoize{T1, TResult}(StackExchange.Redis.IDatabase, StackExchange.Redis.RedisKey, Func{T1, CancellationToken, Task{TResult}}, TimeSpan?, IRedisCodec{TResult}?)"/>),
    /// its results in the hash <paramref name="name"/>, keyed by <paramref name="name"/>.
    /// </summary>
    /// <typeparam name="TArgument">The argument type; its codec's bytes are the cache field.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="name">The cache hash's key and service key.</param>
    /// <param name="function">Computes a result on a miss; it receives the root service provider (create a scope for scoped services), the argument and the caller's cancellation token.</param>
    /// <param name="timeout">Deletes the cache this long after its last access; <see cref="PotteryOptions.CacheTimeout"/> by default.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IPotteryBuilder AddMemoized<TArgument, TResult>(this IPotteryBuilder builder, string name, Func<IServiceProvider, TArgument, CancellationToken, ValueTask<TResult>> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(function);
        builder.Services.AddKeyedSingleton(name, (sp, _) =>
        {
            var redis = sp.GetRequiredService<PotteryRedis>();
            return RedisCache.Memoize<TArgument, TResult>(redis.Database, name, (argument, token) => function(sp, argument, token).AsTask(), timeout ?? redis.Options.CacheTimeout, resultCodec);
        });
        return builder;
    }

    /// <summary>Registers a memoized function without arguments, its result in the hash <paramref name="name"/>, keyed by <paramref name="name"/>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="name">The cache hash's key and service key.</param>
    /// <param name="function">Computes the result on a miss; it receives the root service provider and the caller's cancellation token.</param>
    /// <param name="timeout">Deletes the cache this long after its last access; <see cref="PotteryOptions.CacheTimeout"/> by default.</param>
    /// <param name="resultCodec">How the result is stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IPotteryBuilder AddMemoized<TResult>(this IPotteryBuilder builder, string name, Func<IServiceProvider, CancellationToken, ValueTask<TResult>> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(function);
        builder.Services.AddKeyedSingleton(name, (sp, _) =>
        {
            var redis = sp.GetRequiredService<PotteryRedis>();
            return RedisCache.Memoize<TResult>(redis.Database, name, token => function(sp, token).AsTask(), timeout ?? redis.Options.CacheTimeout, resultCodec);
        });
        return builder;
    }

    /// <summary>
    /// Registers a class made from <see cref="PotteryRedis"/> (a generated <c>[Synchronize]</c> or
    /// <c>[RedisDict]</c> class, say) by <paramref name="create"/>, without reflection; unless
    /// <typeparamref name="T"/> is registered already.
    /// </summary>
    /// <typeparam name="T">The class.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="create">Makes an instance, e.g. <c>(sp, redis) =&gt; new Orders(redis.LockMasters)</c>.</param>
    /// <param name="lifetime">How long an instance lives; one per container by default.</param>
    /// <returns>The builder.</returns>
    public static IPotteryBuilder Add<T>(this IPotteryBuilder builder, Func<IServiceProvider, PotteryRedis, T> create, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        builder.Services.TryAdd(new ServiceDescriptor(typeof(T), sp => create(sp, sp.GetRequiredService<PotteryRedis>()), lifetime));
        return builder;
    }

    /// <summary>Registers a class made from <see cref="PotteryRedis"/> by <paramref name="create"/>, keyed by <paramref name="key"/>, without reflection.</summary>
    /// <typeparam name="T">The class.</typeparam>
    /// <param name="builder">The Pottery builder.</param>
    /// <param name="key">The service key.</param>
    /// <param name="create">Makes an instance, e.g. <c>(sp, redis) =&gt; new Settings(redis.Database, "settings:site")</c>.</param>
    /// <param name="lifetime">How long an instance lives; one per container by default.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static IPotteryBuilder AddKeyed<T>(this IPotteryBuilder builder, string key, Func<IServiceProvider, PotteryRedis, T> create, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(create);
        builder.Services.Add(new ServiceDescriptor(typeof(T), key, (sp, _) => create(sp, sp.GetRequiredService<PotteryRedis>()), lifetime));
        return builder;
    }
}

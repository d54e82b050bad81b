using System.Diagnostics;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// One memoized function's results in one Redis hash (pottery's <c>redis_cache</c>): fields are
/// the encoded arguments, values the encoded results. Usually reached through
/// <see cref="Memoize{TResult}(IDatabase, RedisKey, Func{TResult}, TimeSpan?, IRedisCodec{TResult}?)"/>
/// and its overloads, which also encode the arguments.
/// </summary>
/// <remarks>
/// <para>Like <c>functools.cache</c> the cache is unbounded; a <see cref="Timeout"/> (60 s by
/// default, as pottery's) deletes the whole hash that long after the last access, hit or miss
/// (within <see cref="RenewalWindow"/>).</para>
/// <para>Beyond pottery: with <see cref="SingleFlight"/> (the default) concurrent misses for the same
/// arguments, in any process, compute once: the first takes a <see cref="Redlock"/> on the field, the
/// others wait for it and then read its result. That lock's key lives only while a miss computes.</para>
/// <para>A <see langword="null"/> result is cached and returned like any other, as pottery caches <c>None</c>.</para>
/// </remarks>
public sealed class RedisCache : RedisObject
{
    /// <summary>pottery's default timeout: the cache is deleted 60 s after its last access.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly RedisValue _timeoutMilliseconds;
    private long _hits;
    private long _renewedAt = long.MinValue / 2;
    private long _misses;

    /// <summary>Opens the cache hash at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="timeout">Deletes the cache this long after its last access: <see cref="DefaultTimeout"/> when <see langword="null"/>, never when <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (pottery's <c>timeout=None</c>).</param>
    /// <param name="singleFlight">Whether concurrent misses for the same arguments compute once.</param>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is zero or negative (other than infinite).</exception>
    public RedisCache(IDatabase database, RedisKey? key = null, TimeSpan? timeout = null, bool singleFlight = true)
        : base(database, key)
    {
        var limit = timeout ?? DefaultTimeout;
        if (limit <= TimeSpan.Zero && limit != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A cache timeout must be positive, or Timeout.InfiniteTimeSpan for none.");
        }

        Timeout = limit == System.Threading.Timeout.InfiniteTimeSpan ? null : limit;
        _timeoutMilliseconds = Timeout is { } ttl ? (long)Math.Ceiling(ttl.TotalMilliseconds) : RedisValue.EmptyString;
        SingleFlight = singleFlight;
    }

    /// <summary>How long after its last access the cache is deleted, or <see langword="null"/> for never.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Whether concurrent misses for the same arguments compute once across processes.</summary>
    public bool SingleFlight { get; }

    /// <summary>
    /// Hits renew <see cref="Timeout"/> at most this often per instance (1% of it, at most 1 s): the
    /// cache lives at least <see cref="Timeout"/> minus this after its last access, and at most <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan RenewalWindow => Timeout is { } timeout ? TimeSpan.FromTicks(Math.Min(timeout.Ticks / 100, TimeSpan.TicksPerSecond)) : TimeSpan.Zero;

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.Hash;

    /// <summary>Memoizes a function without arguments.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<ValueTuple, TResult> Memoize<TResult>(IDatabase database, RedisKey key, Func<TResult> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new(new RedisCache(database, key, timeout), static _ => CacheFields.NoArguments, (_, _) => Task.FromResult(function()), resultCodec);
    }

    /// <summary>Memoizes an asynchronous function without arguments.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function; it receives the caller's cancellation token.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<ValueTuple, TResult> Memoize<TResult>(IDatabase database, RedisKey key, Func<CancellationToken, Task<TResult>> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new(new RedisCache(database, key, timeout), static _ => CacheFields.NoArguments, (_, token) => function(token), resultCodec);
    }

    /// <summary>Memoizes a function of one argument; the argument's codec bytes are the cache field.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<T1, TResult> Memoize<T1, TResult>(IDatabase database, RedisKey key, Func<T1, TResult> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Memoize<T1, TResult>(database, key, (argument, _) => Task.FromResult(function(argument)), timeout, resultCodec);
    }

    /// <summary>Memoizes an asynchronous function of one argument; the argument's codec bytes are the cache field.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function; it receives the caller's cancellation token.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<T1, TResult> Memoize<T1, TResult>(IDatabase database, RedisKey key, Func<T1, CancellationToken, Task<TResult>> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        var codec = RedisCodecs.For<T1>();
        return new(new RedisCache(database, key, timeout), codec.Encode, function, resultCodec);
    }

    /// <summary>Memoizes a function of two arguments, called with a tuple.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<(T1, T2), TResult> Memoize<T1, T2, TResult>(IDatabase database, RedisKey key, Func<T1, T2, TResult> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Memoize<T1, T2, TResult>(database, key, (a, b, _) => Task.FromResult(function(a, b)), timeout, resultCodec);
    }

    /// <summary>Memoizes an asynchronous function of two arguments, called with a tuple.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function; it receives the caller's cancellation token.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<(T1, T2), TResult> Memoize<T1, T2, TResult>(IDatabase database, RedisKey key, Func<T1, T2, CancellationToken, Task<TResult>> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var (first, second) = (RedisCodecs.For<T1>(), RedisCodecs.For<T2>());
        return new(
            new RedisCache(database, key, timeout),
            arguments => CacheFields.Of(first.Encode(arguments.Item1), second.Encode(arguments.Item2)),
            (arguments, token) => function(arguments.Item1, arguments.Item2, token),
            resultCodec);
    }

    /// <summary>Memoizes a function of three arguments, called with a tuple.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <typeparam name="T3">The third argument's type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<(T1, T2, T3), TResult> Memoize<T1, T2, T3, TResult>(IDatabase database, RedisKey key, Func<T1, T2, T3, TResult> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Memoize<T1, T2, T3, TResult>(database, key, (a, b, c, _) => Task.FromResult(function(a, b, c)), timeout, resultCodec);
    }

    /// <summary>Memoizes an asynchronous function of three arguments, called with a tuple.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <typeparam name="T3">The third argument's type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="function">The function; it receives the caller's cancellation token.</param>
    /// <param name="timeout">See <see cref="RedisCache(IDatabase, RedisKey?, TimeSpan?, bool)"/>: 60 s when not given, never with <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <returns>The memoized function.</returns>
    public static MemoizedFunction<(T1, T2, T3), TResult> Memoize<T1, T2, T3, TResult>(IDatabase database, RedisKey key, Func<T1, T2, T3, CancellationToken, Task<TResult>> function, TimeSpan? timeout = null, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var (first, second, third) = (RedisCodecs.For<T1>(), RedisCodecs.For<T2>(), RedisCodecs.For<T3>());
        return new(
            new RedisCache(database, key, timeout),
            arguments => CacheFields.Of(first.Encode(arguments.Item1), second.Encode(arguments.Item2), third.Encode(arguments.Item3)),
            (arguments, token) => function(arguments.Item1, arguments.Item2, arguments.Item3, token),
            resultCodec);
    }

    /// <summary>The statistics: hits and misses in this process, and the results cached now (<c>HLEN</c>; pottery's <c>cache_info</c>).</summary>
    /// <returns>The statistics.</returns>
    public CacheInfo GetInfo() => Sync.Wait(GetInfoAsync());

    /// <summary>The statistics: hits and misses in this process, and the results cached now (<c>HLEN</c>; pottery's <c>cache_info</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The statistics.</returns>
    public ValueTask<CacheInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, hash, _) => database.HashLengthAsync(hash), static (size, cache, _) => new CacheInfo(Interlocked.Read(ref cache._hits), Interlocked.Read(ref cache._misses), null, size), cancellationToken);

    /// <summary>Deletes every cached result and zeroes the statistics (pottery's <c>cache_clear</c>).</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Deletes every cached result and zeroes the statistics (pottery's <c>cache_clear</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the cache is deleted.</returns>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        await CallAsync(0, static (database, hash, _) => database.KeyDeleteAsync(hash), cancellationToken).ConfigureAwait(false);
        ResetStatistics();
    }

    /// <summary>The cached result for <paramref name="field"/>, computing and storing it on a miss.</summary>
    /// <typeparam name="TArguments">What <paramref name="compute"/> takes.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="field">The encoded arguments.</param>
    /// <param name="arguments">The arguments, passed to <paramref name="compute"/> on a miss.</param>
    /// <param name="compute">Computes the result on a miss.</param>
    /// <param name="codec">How results are stored.</param>
    /// <returns>The result.</returns>
    public TResult GetOrCompute<TArguments, TResult>(RedisValue field, TArguments arguments, Func<TArguments, CancellationToken, Task<TResult>> compute, IRedisCodec<TResult> codec) =>
        Sync.Wait(GetOrComputeAsync(field, arguments, compute, codec));

    /// <summary>The cached result for <paramref name="field"/>, computing and storing it on a miss.</summary>
    /// <typeparam name="TArguments">What <paramref name="compute"/> takes.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="field">The encoded arguments.</param>
    /// <param name="arguments">The arguments, passed to <paramref name="compute"/> on a miss.</param>
    /// <param name="compute">Computes the result on a miss.</param>
    /// <param name="codec">How results are stored.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The result.</returns>
    /// <remarks>A hit awaits its <c>HGET</c> through a pooled source, so it allocates no more than the <c>HGET</c> itself, however many are in flight; await the result once.</remarks>
    public ValueTask<TResult> GetOrComputeAsync<TArguments, TResult>(RedisValue field, TArguments arguments, Func<TArguments, CancellationToken, Task<TResult>> compute, IRedisCodec<TResult> codec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(codec);
        if (IsDisposed)
        {
            return ValueTask.FromException<TResult>(DisposedError());
        }

        return RedisCall.Then(
            Database,
            Key,
            RedisType,
            new Lookup<TArguments, TResult>(this, field, arguments, compute, codec, cancellationToken),
            static (database, key, lookup) =>
            {
                lookup.Cache.RenewTimeout();
                return database.HashGetAsync(key, lookup.Field);
            },
            static (cached, lookup, _) => lookup.Cache.HitOrMiss(cached, lookup),
            cancellationToken);
    }

    /// <summary>Computes and stores the result for <paramref name="field"/> without reading the cache; neither a hit nor a miss (pottery's <c>__bypass__</c>).</summary>
    /// <typeparam name="TArguments">What <paramref name="compute"/> takes.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="field">The encoded arguments.</param>
    /// <param name="arguments">The arguments, passed to <paramref name="compute"/>.</param>
    /// <param name="compute">Computes the result.</param>
    /// <param name="codec">How results are stored.</param>
    /// <returns>The fresh result.</returns>
    public TResult Refresh<TArguments, TResult>(RedisValue field, TArguments arguments, Func<TArguments, CancellationToken, Task<TResult>> compute, IRedisCodec<TResult> codec) =>
        Sync.Wait(RefreshAsync(field, arguments, compute, codec));

    /// <summary>Computes and stores the result for <paramref name="field"/> without reading the cache; neither a hit nor a miss (pottery's <c>__bypass__</c>).</summary>
    /// <typeparam name="TArguments">What <paramref name="compute"/> takes.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="field">The encoded arguments.</param>
    /// <param name="arguments">The arguments, passed to <paramref name="compute"/>.</param>
    /// <param name="compute">Computes the result.</param>
    /// <param name="codec">How results are stored.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The fresh result.</returns>
    public async ValueTask<TResult> RefreshAsync<TArguments, TResult>(RedisValue field, TArguments arguments, Func<TArguments, CancellationToken, Task<TResult>> compute, IRedisCodec<TResult> codec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(codec);
        var result = await compute(arguments, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(HashWriteScripts.Save, [Key], [_timeoutMilliseconds, 0, field, CachedResults.Encode(codec, result)], 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _renewedAt, Stopwatch.GetTimestamp());
        return result;
    }

    private ValueTask<TResult> HitOrMiss<TArguments, TResult>(RedisValue cached, Lookup<TArguments, TResult> lookup)
    {
        if (cached.IsNull)
        {
            return MissAsync(lookup.Field, lookup.Arguments, lookup.Compute, lookup.Codec, lookup.CancellationToken);
        }

        Interlocked.Increment(ref _hits);
        CacheTelemetry.Hit(this);
        return new(CachedResults.Decode(lookup.Codec, cached, Key, lookup.Field));
    }

    // Kept out of GetOrComputeAsync so the lock, its handle and their awaiters stay out of the hit path.
    private async ValueTask<TResult> MissAsync<TArguments, TResult>(RedisValue field, TArguments arguments, Func<TArguments, CancellationToken, Task<TResult>> compute, IRedisCodec<TResult> codec, CancellationToken cancellationToken)
    {
        using var activity = CacheTelemetry.StartCompute(this);
        try
        {
            if (SingleFlight)
            {
                return await SingleFlightAsync(field, arguments, compute, codec, activity, cancellationToken).ConfigureAwait(false);
            }

            activity?.SetTag(TelemetryTags.CacheComputed, true);
            return await ComputeAsync(field, arguments, compute, codec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            CacheTelemetry.Failed(activity, error);
            throw;
        }
    }

    private async ValueTask<TResult> SingleFlightAsync<TArguments, TResult>(RedisValue field, TArguments arguments, Func<TArguments, CancellationToken, Task<TResult>> compute, IRedisCodec<TResult> codec, Activity? activity, CancellationToken cancellationToken)
    {
        var waitStart = Stopwatch.GetTimestamp();

        // Whoever gets the field's lock computes; the rest wait for it, then find the result. A late
        // holder can only store a result again, so the lock needs no fencing token, and leaves no
        // counter behind for each argument ever missed.
        var redlock = new Redlock($"{Key}:{Convert.ToHexString(SHA256.HashData((byte[])field!))[..32]}", Database) { AutoExtend = true };
        await using var held = (await redlock.AcquireAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var cached = await CallAsync(field, static (database, hash, field) => database.HashGetAsync(hash, field), static (cached, _, _) => cached, cancellationToken).ConfigureAwait(false);
        if (!cached.IsNull)
        {
            Interlocked.Increment(ref _hits);
            CacheTelemetry.Hit(this);
            CacheTelemetry.SingleFlightWait(this, Stopwatch.GetElapsedTime(waitStart));
            activity?.SetTag(TelemetryTags.CacheComputed, false);
            return CachedResults.Decode(codec, cached, Key, field);
        }

        activity?.SetTag(TelemetryTags.CacheComputed, true);
        return await ComputeAsync(field, arguments, compute, codec, cancellationToken).ConfigureAwait(false);
    }

    // Renews the timeout without waiting, at most once per renewal window.
    private void RenewTimeout()
    {
        if (Timeout is { } timeout)
        {
            var now = Stopwatch.GetTimestamp();
            var last = Volatile.Read(ref _renewedAt);
            if (Stopwatch.GetElapsedTime(last, now) >= RenewalWindow && Interlocked.CompareExchange(ref _renewedAt, now, last) == last)
            {
                // Nobody waits for the reply, so this one command bypasses the call path: a failure
                // costs only a renewal, and the next window tries again.
                _ = Database.KeyExpireAsync(Key, timeout, CommandFlags.FireAndForget);
            }
        }
    }

    private async ValueTask<TResult> ComputeAsync<TArguments, TResult>(RedisValue field, TArguments arguments, Func<TArguments, CancellationToken, Task<TResult>> compute, IRedisCodec<TResult> codec, CancellationToken cancellationToken)
    {
        var result = await RefreshAsync(field, arguments, compute, codec, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _misses);
        CacheTelemetry.Miss(this);
        return result;
    }

    private void ResetStatistics()
    {
        Interlocked.Exchange(ref _hits, 0);
        Interlocked.Exchange(ref _misses, 0);
    }

    // Everything a lookup needs once the HGET answers; a struct, so a hit allocates nothing for it.
    private readonly record struct Lookup<TArguments, TResult>(RedisCache Cache, RedisValue Field, TArguments Arguments, Func<TArguments, CancellationToken, Task<TResult>> Compute, IRedisCodec<TResult> Codec, CancellationToken CancellationToken);
}

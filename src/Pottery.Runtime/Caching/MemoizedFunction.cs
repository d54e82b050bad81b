using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A function whose results are cached in Redis (what pottery's <c>@redis_cache</c> decorator
/// returns). Several arguments travel as one tuple: <c>square.Invoke(5)</c>, <c>add.Invoke((1, 2))</c>.
/// </summary>
/// <typeparam name="TArguments">The argument, or a tuple of the arguments.</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class MemoizedFunction<TArguments, TResult> : IDisposable, IAsyncDisposable
{
    private readonly Func<TArguments, RedisValue> _field;
    private readonly Func<TArguments, CancellationToken, Task<TResult>> _function;
    private readonly IRedisCodec<TResult> _codec;

    /// <summary>Memoizes <paramref name="function"/> in <paramref name="cache"/>.</summary>
    /// <param name="cache">The cache hash; this function should be its only user.</param>
    /// <param name="field">Encodes the arguments as the cache field; must give equal fields for equal arguments in every process.</param>
    /// <param name="function">The function.</param>
    /// <param name="resultCodec">How results are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public MemoizedFunction(RedisCache cache, Func<TArguments, RedisValue> field, Func<TArguments, CancellationToken, Task<TResult>> function, IRedisCodec<TResult>? resultCodec = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(function);
        Cache = cache;
        _field = field;
        _function = function;
        _codec = resultCodec ?? RedisCodecs.For<TResult>();
    }

    /// <summary>The Redis hash holding the results.</summary>
    public RedisCache Cache { get; }

    /// <summary>The cached result for <paramref name="arguments"/>, computed and cached on a miss.</summary>
    /// <param name="arguments">The argument, or a tuple of the arguments.</param>
    /// <returns>The result.</returns>
    public TResult Invoke(TArguments arguments) => Sync.Wait(InvokeAsync(arguments));

    /// <summary>The cached result for <paramref name="arguments"/>, computed and cached on a miss.</summary>
    /// <param name="arguments">The argument, or a tuple of the arguments.</param>
    /// <param name="cancellationToken">Stops waiting; passed to the function.</param>
    /// <returns>The result; await it once (or call <c>AsTask()</c>): a hit reuses pooled state.</returns>
    public ValueTask<TResult> InvokeAsync(TArguments arguments, CancellationToken cancellationToken = default) =>
        Cache.GetOrComputeAsync(_field(arguments), arguments, _function, _codec, cancellationToken);

    /// <summary>Calls the function and caches its result without reading the cache: neither a hit nor a miss (pottery's <c>__bypass__</c>).</summary>
    /// <param name="arguments">The argument, or a tuple of the arguments.</param>
    /// <returns>The fresh result.</returns>
    public TResult Bypass(TArguments arguments) => Sync.Wait(BypassAsync(arguments));

    /// <summary>Calls the function and caches its result without reading the cache: neither a hit nor a miss (pottery's <c>__bypass__</c>).</summary>
    /// <param name="arguments">The argument, or a tuple of the arguments.</param>
    /// <param name="cancellationToken">Stops waiting; passed to the function.</param>
    /// <returns>The fresh result.</returns>
    public ValueTask<TResult> BypassAsync(TArguments arguments, CancellationToken cancellationToken = default) =>
        Cache.RefreshAsync(_field(arguments), arguments, _function, _codec, cancellationToken);

    /// <summary>Hits, misses, max size (none) and current size (pottery's <c>cache_info()</c>).</summary>
    /// <returns>The statistics.</returns>
    public CacheInfo GetCacheInfo() => Cache.GetInfo();

    /// <summary>Hits, misses, max size (none) and current size (pottery's <c>cache_info()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The statistics.</returns>
    public ValueTask<CacheInfo> GetCacheInfoAsync(CancellationToken cancellationToken = default) => Cache.GetInfoAsync(cancellationToken);

    /// <summary>Deletes every cached result and zeroes the statistics (pottery's <c>cache_clear()</c>).</summary>
    public void ClearCache() => Cache.Clear();

    /// <summary>Deletes every cached result and zeroes the statistics (pottery's <c>cache_clear()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the cache is deleted.</returns>
    public ValueTask ClearCacheAsync(CancellationToken cancellationToken = default) => Cache.ClearAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => Cache.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Cache.DisposeAsync();
}

namespace Pottery;

/// <summary>A memoized function's statistics, as Python's <c>functools</c> <c>CacheInfo</c>.</summary>
/// <param name="Hits">Calls answered from the cache by this process.</param>
/// <param name="Misses">Calls that ran the function in this process.</param>
/// <param name="MaxSize">The most results kept; always <see langword="null"/>: the cache is unbounded.</param>
/// <param name="CurrentSize">Results cached in Redis now, by every process.</param>
public readonly record struct CacheInfo(long Hits, long Misses, long? MaxSize, long CurrentSize);

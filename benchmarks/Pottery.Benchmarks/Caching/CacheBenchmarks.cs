using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Caching;

/// <summary>A memoized function's hit path next to the raw HGET it needs.</summary>
public class CacheBenchmarks : RedisBenchmark
{
    private MemoizedFunction<int, long> _withTimeout = null!;
    private MemoizedFunction<int, long> _withoutTimeout = null!;

    protected override async Task Setup()
    {
        _withTimeout = RedisCache.Memoize(Db, "bench:square", (int n) => (long)n * n);
        _withoutTimeout = RedisCache.Memoize(Db, "bench:square-forever", (int n) => (long)n * n, timeout: Timeout.InfiniteTimeSpan);
        await _withTimeout.InvokeAsync(12345);
        await _withoutTimeout.InvokeAsync(12345);
    }

    [Benchmark(Baseline = true)]
    public Task<RedisValue> RawHGet() => Db.HashGetAsync("bench:square", 12345);

    [Benchmark]
    public ValueTask<long> MemoizedHit() => _withTimeout.InvokeAsync(12345);

    [Benchmark]
    public ValueTask<long> MemoizedHitWithoutTimeout() => _withoutTimeout.InvokeAsync(12345);
}

using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Caching;

/// <summary>
/// The memoized hit with <see cref="Batch"/> calls in flight at once: one round trip's jitter is
/// shared by the batch, so what differs per call is the client's own work.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "Each ValueTask is kept only until it is awaited, once, in the same method.")]
public class CacheBatchBenchmarks : RedisBenchmark
{
    internal const int Batch = 64;
    private readonly Task<RedisValue>[] _raw = new Task<RedisValue>[Batch];
    private readonly ValueTask<long>[] _hits = new ValueTask<long>[Batch];
    private MemoizedFunction<int, long> _square = null!;

    protected override async Task Setup()
    {
        _square = RedisCache.Memoize(Db, "bench:batch-square", (int n) => (long)n * n);
        await _square.InvokeAsync(12345);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public async Task<long> RawHGet()
    {
        for (var i = 0; i < Batch; i++)
        {
            _raw[i] = Db.HashGetAsync("bench:batch-square", 12345);
        }

        var sum = 0L;
        for (var i = 0; i < Batch; i++)
        {
            sum += (long)await _raw[i];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<long> MemoizedHit()
    {
        for (var i = 0; i < Batch; i++)
        {
            _hits[i] = _square.InvokeAsync(12345);
        }

        var sum = 0L;
        for (var i = 0; i < Batch; i++)
        {
            sum += await _hits[i];
        }

        return sum;
    }
}

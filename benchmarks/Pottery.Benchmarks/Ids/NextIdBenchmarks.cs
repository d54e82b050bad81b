using BenchmarkDotNet.Attributes;
using Pottery.Testing.Redis;

namespace Pottery.Benchmarks.Ids;

/// <summary>IDs per second, one caller at a time and 100 overlapping callers.</summary>
[MemoryDiagnoser]
public class NextIdBenchmarks
{
    private RedisMasters _masters = null!;
    private NextId _ids = null!;

    [Params(1, 5)]
    public int Masters { get; set; }

    [GlobalSetup]
    public async Task Start()
    {
        _masters = await RedisMasters.StartAsync(Masters);
        _ids = new NextId("bench", _masters.Databases, maxTries: 10);
    }

    [GlobalCleanup]
    public Task Stop() => _masters.DisposeAsync().AsTask();

    [Benchmark]
    public ValueTask<long> Sequential() => _ids.NextAsync();

    [Benchmark(OperationsPerInvoke = 100)]
    public Task Overlapping() => Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _ids.NextAsync().AsTask()));
}

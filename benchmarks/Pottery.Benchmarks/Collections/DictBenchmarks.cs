using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Collections;

/// <summary>RedisDict next to the same hash commands written by hand.</summary>
public class DictBenchmarks : RedisBenchmark
{
    private RedisDict<string, long> _dict = null!;
    private KeyValuePair<string, long>[] _pairs = [];
    private HashEntry[] _entries = [];

    [Params(1, 100, 10_000)]
    public int Size { get; set; }

    protected override Task Setup()
    {
        _dict = new RedisDict<string, long>(Db, "bench:dict");
        _pairs = Enumerable.Range(0, Size).Select(i => KeyValuePair.Create($"field{i}", (long)i)).ToArray();
        _entries = _pairs.Select(p => new HashEntry(p.Key, p.Value)).ToArray();
        _dict["jack"] = 4098;
        return Task.CompletedTask;
    }

    [Benchmark(Baseline = true)]
    public Task<RedisValue> RawGet() => Db.HashGetAsync("bench:dict", "jack");

    [Benchmark]
    public ValueTask<long> PotteryGet() => _dict.GetAsync("jack");

    [Benchmark]
    public Task<bool> RawSet() => Db.HashSetAsync("bench:dict", "jack", 4098);

    [Benchmark]
    public ValueTask PotterySet() => _dict.SetAsync("jack", 4098);

    [Benchmark]
    public Task RawUpdate() => Db.HashSetAsync("bench:dict", _entries);

    [Benchmark]
    public ValueTask PotteryUpdate() => _dict.SetItemsAsync(_pairs);
}

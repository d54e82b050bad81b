using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Collections;

/// <summary>RedisSet next to the same set commands written by hand.</summary>
public class SetBenchmarks : RedisBenchmark
{
    private RedisSet<string> _set = null!;
    private string[] _items = [];
    private RedisValue[] _values = [];

    [Params(1, 100, 10_000)]
    public int Size { get; set; }

    protected override async Task Setup()
    {
        _set = new RedisSet<string>(Db, "bench:set");
        _items = Enumerable.Range(0, Size).Select(i => $"member{i}").ToArray();
        _values = _items.Select(i => (RedisValue)i).ToArray();
        await _set.AddRangeAsync(_items.Where((_, i) => i % 2 == 0));
        await _set.AddAsync("apple");
    }

    [Benchmark(Baseline = true)]
    public Task<bool> RawContains() => Db.SetContainsAsync("bench:set", "apple");

    [Benchmark]
    public ValueTask<bool> PotteryContains() => _set.ContainsAsync("apple");

    [Benchmark]
    public Task<bool> RawAdd() => Db.SetAddAsync("bench:set", "apple");

    [Benchmark]
    public ValueTask<bool> PotteryAdd() => _set.AddAsync("apple");

    [Benchmark]
    public Task<bool[]> RawContainsMany() => Db.SetContainsAsync("bench:set", _values);

    [Benchmark]
    public ValueTask<bool[]> PotteryContainsMany() => _set.ContainsManyAsync(_items);
}

using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Collections;

/// <summary>RedisList and RedisDeque next to the same list commands written by hand.</summary>
public class ListBenchmarks : RedisBenchmark
{
    private RedisList<long> _list = null!;
    private RedisDeque<long> _deque = null!;
    private long[] _items = [];
    private RedisValue[] _values = [];

    [Params(1, 100, 10_000)]
    public int Size { get; set; }

    protected override async Task Setup()
    {
        _list = new RedisList<long>(Db, "bench:list");
        _deque = new RedisDeque<long>(Db, "bench:deque");
        _items = Enumerable.Range(0, Size).Select(i => (long)i).ToArray();
        _values = _items.Select(i => (RedisValue)i).ToArray();
        await _list.AddRangeAsync([1, 2, 3]);
        await _deque.AddRangeAsync([1, 2, 3]);
    }

    [IterationCleanup]
    public void Trim() => Db.ListTrim("bench:list", 0, 99);

    [Benchmark(Baseline = true)]
    public Task<RedisValue> RawIndex() => Db.ListGetByIndexAsync("bench:list", 1);

    [Benchmark]
    public ValueTask<long> PotteryIndex() => _list.GetAsync(1);

    [Benchmark]
    public Task<long> RawAppend() => Db.ListRightPushAsync("bench:list", 7);

    [Benchmark]
    public ValueTask PotteryAppend() => _list.AddAsync(7);

    [Benchmark]
    public Task<long> RawAddRange() => Db.ListRightPushAsync("bench:list", _values);

    [Benchmark]
    public ValueTask PotteryAddRange() => _list.AddRangeAsync(_items);

    [Benchmark]
    public async Task<RedisValue> RawDequeAppendPopLeft()
    {
        await Db.ListRightPushAsync("bench:deque", 7);
        return await Db.ListLeftPopAsync("bench:deque");
    }

    [Benchmark]
    public async Task<long> PotteryDequeAppendPopLeft()
    {
        await _deque.AddLastAsync(7);
        return await _deque.RemoveFirstAsync();
    }
}

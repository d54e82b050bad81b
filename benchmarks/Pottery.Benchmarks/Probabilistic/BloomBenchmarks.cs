using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Probabilistic;

/// <summary>BloomFilter and HyperLogLog next to single raw commands on the same server.</summary>
public class BloomBenchmarks : RedisBenchmark
{
    private BloomFilter<string> _filter = null!;
    private HyperLogLog<string> _hll = null!;
    private string[] _thousand = [];
    private object[] _rawThousandProbe = [];
    private object[] _rawAdd = [];
    private object[] _rawProbe = [];

    protected override async Task Setup()
    {
        _filter = new BloomFilter<string>(Db, 1_000_000, 0.01, "bench:bloom");
        _hll = new HyperLogLog<string>(Db, "bench:hll");
        _thousand = Enumerable.Range(0, 1000).Select(i => $"element-{i}").ToArray();
        await _filter.AddRangeAsync(_thousand);

        // The same BITFIELD_RO a hand-written filter would send for 1,000 elements.
        _rawAdd = [(RedisKey)"bench:bloom", .. _filter.BitOffsets("rajiv").SelectMany(o => new object[] { "SET", "u1", o, 1 })];
        _rawProbe = [(RedisKey)"bench:bloom", .. _filter.BitOffsets("rajiv").SelectMany(o => new object[] { "GET", "u1", o })];
        _rawThousandProbe = [(RedisKey)"bench:bloom", .. _thousand.SelectMany(e => _filter.BitOffsets(e).SelectMany(o => new object[] { "GET", "u1", o }))];
    }

    [Benchmark(Baseline = true)]
    public Task<bool> RawSetBit() => Db.StringSetBitAsync("bench:bloom", 12345, true);

    [Benchmark]
    public Task<RedisResult> RawBitfieldAdd() => Db.ExecuteAsync("BITFIELD", _rawAdd);

    [Benchmark]
    public ValueTask PotteryAdd() => _filter.AddAsync("rajiv");

    [Benchmark]
    public Task<bool> RawGetBit() => Db.StringGetBitAsync("bench:bloom", 12345);

    [Benchmark]
    public Task<RedisResult> RawBitfieldContains() => Db.ExecuteAsync("BITFIELD_RO", _rawProbe);

    [Benchmark]
    public ValueTask<bool> PotteryContains() => _filter.ContainsAsync("rajiv");

    [Benchmark]
    public Task<RedisResult> RawContainsThousand() => Db.ExecuteAsync("BITFIELD_RO", _rawThousandProbe);

    [Benchmark]
    public ValueTask<bool[]> PotteryContainsThousand() => _filter.ContainsManyAsync(_thousand);

    [Benchmark]
    public Task<bool> RawPfAdd() => Db.HyperLogLogAddAsync("bench:hll", "rajiv");

    [Benchmark]
    public ValueTask<bool> PotteryHllAdd() => _hll.AddAsync("rajiv");
}

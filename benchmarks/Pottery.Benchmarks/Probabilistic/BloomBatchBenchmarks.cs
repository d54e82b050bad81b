using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Probabilistic;

/// <summary>
/// Bloom add and contains with <see cref="Batch"/> calls in flight at once, next to single-bit
/// commands and the same BITFIELD written by hand: one round trip's jitter is shared by the batch,
/// so what differs per call is the work of the client and the server.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "Each ValueTask is kept only until it is awaited, once, in the same method.")]
public class BloomBatchBenchmarks : RedisBenchmark
{
    internal const int Batch = 64;
    private const string Key = "bench:batch-bloom";
    private readonly Task[] _pending = new Task[Batch];
    private readonly ValueTask[] _adds = new ValueTask[Batch];
    private readonly ValueTask<bool>[] _probes = new ValueTask<bool>[Batch];
    private BloomFilter<string> _filter = null!;
    private object[] _rawAdd = [];
    private object[] _rawProbe = [];
    private object[] _rawAddValues = [];

    protected override async Task Setup()
    {
        _filter = new BloomFilter<string>(Db, 1_000_000, 0.01, Key);
        await _filter.AddAsync("rajiv");
        _rawAdd = [(RedisKey)Key, .. _filter.BitOffsets("rajiv").SelectMany(o => new object[] { "SET", "u1", o, 1 })];
        _rawAddValues = [.. _rawAdd.Select(a => a is RedisKey k ? (object)k : (object)(RedisValue)System.Text.Encoding.ASCII.GetBytes(a.ToString()!))];
        _rawProbe = [(RedisKey)Key, .. _filter.BitOffsets("rajiv").SelectMany(o => new object[] { "GET", "u1", o })];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public Task RawSetBit() => Run(static b => b.Db.StringSetBitAsync(Key, 12345, true));

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task RawExecuteSetBit() => Run(static b => b.Db.ExecuteAsync("SETBIT", (RedisKey)Key, 12345, 1));

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task RawBitfieldOneBit() => Run(static b => b.Db.ExecuteAsync("BITFIELD", (RedisKey)Key, "SET", "u1", 12345, 1));

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task RawBitfieldAddValues() => Run(static b => b.Db.ExecuteAsync("BITFIELD", b._rawAddValues));

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task RawBitfieldAdd() => Run(static b => b.Db.ExecuteAsync("BITFIELD", b._rawAdd));

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task PotteryAdd()
    {
        for (var i = 0; i < Batch; i++)
        {
            _adds[i] = _filter.AddAsync("rajiv");
        }

        for (var i = 0; i < Batch; i++)
        {
            await _adds[i];
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task RawGetBit() => Run(static b => b.Db.StringGetBitAsync(Key, 12345));

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task RawBitfieldContains() => Run(static b => b.Db.ExecuteAsync("BITFIELD_RO", b._rawProbe));

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<bool> PotteryContains()
    {
        for (var i = 0; i < Batch; i++)
        {
            _probes[i] = _filter.ContainsAsync("rajiv");
        }

        var all = true;
        for (var i = 0; i < Batch; i++)
        {
            all &= await _probes[i];
        }

        return all;
    }

    // Awaited one by one, as the Pottery side awaits its ValueTasks, so both sides pay the same.
    private async Task Run(Func<BloomBatchBenchmarks, Task> call)
    {
        for (var i = 0; i < Batch; i++)
        {
            _pending[i] = call(this);
        }

        for (var i = 0; i < Batch; i++)
        {
            await _pending[i];
        }
    }
}

using BenchmarkDotNet.Attributes;
using Medallion.Threading.Redis;
using Pottery.Testing.Redis;

namespace Pottery.Benchmarks.Locking;

/// <summary>
/// <see cref="RedisReaderWriterLock"/> next to DistributedLock.Redis' <c>RedisDistributedReaderWriterLock</c>
/// on the same server in the same run: callers of one process cycling reads (acquire, then release)
/// of one lock until together they completed <see cref="CyclesPerCall"/> cycles. Readers share the
/// lock, so sixteen callers measure concurrent cycles, not waiting.
/// </summary>
[MemoryDiagnoser]
public class ReaderWriterLockBenchmarks
{
    internal const int CyclesPerCall = 256;

    private RedisMasters _masters = null!;
    private RedisReaderWriterLock _rwlock = null!;
    private RedisDistributedReaderWriterLock _peer = null!;

    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task Start()
    {
        _masters = await RedisMasters.StartAsync(1);
        _rwlock = new RedisReaderWriterLock("bench:rwlock", _masters.Databases[0]);
        _peer = new RedisDistributedReaderWriterLock("peer:rwlock", _masters.Databases[0]);
    }

    [GlobalCleanup]
    public async Task Stop() => await _masters.DisposeAsync();

    /// <summary>Read cycles of DistributedLock.Redis, per cycle.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CyclesPerCall)]
    public Task DistributedLockReads() => DistributedLockReadCycles(Callers);

    /// <summary>Read cycles of <see cref="RedisReaderWriterLock"/>, per cycle.</summary>
    [Benchmark(OperationsPerInvoke = CyclesPerCall)]
    public Task PotteryReads() => PotteryReadCycles(Callers);

    /// <summary><paramref name="callers"/> callers cycle DistributedLock.Redis reads until together they did <see cref="CyclesPerCall"/> cycles.</summary>
    internal Task DistributedLockReadCycles(int callers) =>
        ContendedLockBenchmarks.Contend(callers, CyclesPerCall, handOffsOnly: false, stop => _peer.AcquireReadLockAsync(cancellationToken: stop));

    /// <summary><paramref name="callers"/> callers cycle <see cref="RedisReaderWriterLock"/> reads until together they did <see cref="CyclesPerCall"/> cycles.</summary>
    internal Task PotteryReadCycles(int callers) =>
        ContendedLockBenchmarks.Contend(callers, CyclesPerCall, handOffsOnly: false, stop => _rwlock.AcquireReadAsync(cancellationToken: stop));
}

using BenchmarkDotNet.Attributes;
using Medallion.Threading.Redis;
using Pottery.Testing.Redis;

namespace Pottery.Benchmarks.Locking;

/// <summary>
/// <see cref="RedisSemaphore"/> next to DistributedLock.Redis' <c>RedisDistributedSemaphore</c> on
/// the same server in the same run: callers of one process cycling permits (acquire, waiting as
/// long as it takes, then release) of one semaphore of <see cref="Permits"/> permits, until together
/// they completed <see cref="CyclesPerCall"/> cycles. One caller never waits; sixteen contend for
/// the permits.
/// </summary>
[MemoryDiagnoser]
public class SemaphoreBenchmarks
{
    internal const int CyclesPerCall = 256;
    internal const int Permits = 4;

    private RedisMasters _masters = null!;
    private RedisSemaphore _semaphore = null!;
    private RedisDistributedSemaphore _peer = null!;

    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task Start()
    {
        _masters = await RedisMasters.StartAsync(1);
        _semaphore = new RedisSemaphore("bench:semaphore", _masters.Databases[0], Permits);
        _peer = new RedisDistributedSemaphore("peer:semaphore", Permits, _masters.Databases[0]);
    }

    [GlobalCleanup]
    public async Task Stop() => await _masters.DisposeAsync();

    /// <summary>Permit cycles of DistributedLock.Redis, per cycle.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CyclesPerCall)]
    public Task DistributedLockSemaphore() => DistributedLockCycles(Callers);

    /// <summary>Permit cycles of <see cref="RedisSemaphore"/>, per cycle.</summary>
    [Benchmark(OperationsPerInvoke = CyclesPerCall)]
    public Task PotterySemaphore() => PotteryCycles(Callers);

    /// <summary><paramref name="callers"/> callers cycle DistributedLock.Redis permits until together they did <see cref="CyclesPerCall"/> cycles.</summary>
    internal Task DistributedLockCycles(int callers) =>
        ContendedLockBenchmarks.Contend(callers, CyclesPerCall, handOffsOnly: false, stop => _peer.AcquireAsync(cancellationToken: stop));

    /// <summary><paramref name="callers"/> callers cycle <see cref="RedisSemaphore"/> permits until together they did <see cref="CyclesPerCall"/> cycles.</summary>
    internal Task PotteryCycles(int callers) =>
        ContendedLockBenchmarks.Contend(callers, CyclesPerCall, handOffsOnly: false, stop => _semaphore.AcquireAsync(cancellationToken: stop));
}

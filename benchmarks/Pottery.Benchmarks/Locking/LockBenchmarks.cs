using BenchmarkDotNet.Attributes;
using Medallion.Threading.Redis;
using Pottery.Testing.Redis;

namespace Pottery.Benchmarks.Locking;

/// <summary>
/// Redlock next to DistributedLock.Redis on the same servers in the same run: uncontended
/// acquire+release cycles, and a hand-off (a waiter blocked on the held lock gets it after release).
/// </summary>
[MemoryDiagnoser]
public class LockBenchmarks
{
    private RedisMasters _masters = null!;
    private Redlock _holder = null!;
    private Redlock _waiter = null!;
    private RedisDistributedLock _peer = null!;
    private RedisDistributedLock _peerWaiter = null!;
    private Redlock[] _many = [];
    private RedisDistributedLock[] _peers = [];

    internal const int Concurrent = 16;

    // Callers cycle back to back, as an application does; one cycle per BenchmarkDotNet invocation
    // would add a blocking wait (a thread wake-up) to every cycle that an async caller never pays.
    internal const int Cycles = 50;
    internal const int CyclesPerCaller = 50;

    [Params(1, 5)]
    public int Masters { get; set; }

    [GlobalSetup]
    public async Task Start()
    {
        _masters = await RedisMasters.StartAsync(Masters);
        _holder = new Redlock("bench", _masters.Databases);
        _waiter = new Redlock("bench", _masters.Databases);
        _peer = new RedisDistributedLock("peer", _masters.Databases);
        _peerWaiter = new RedisDistributedLock("peer", _masters.Databases);
        _many = Enumerable.Range(0, Concurrent).Select(i => new Redlock($"bench:{i}", _masters.Databases)).ToArray();
        _peers = Enumerable.Range(0, Concurrent).Select(i => new RedisDistributedLock($"peer:{i}", _masters.Databases)).ToArray();
    }

    internal StackExchange.Redis.IDatabase FirstMaster => _masters.Databases[0];

    [GlobalCleanup]
    public async Task Stop() => await _masters.DisposeAsync();

    /// <summary>One caller cycling: <see cref="Cycles"/> acquire+release cycles back to back, time per cycle.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Cycles)]
    public async Task DistributedLockCycle()
    {
        for (var i = 0; i < Cycles; i++)
        {
            await using (await _peer.AcquireAsync())
            {
            }
        }
    }

    /// <summary>One caller cycling, time per cycle.</summary>
    [Benchmark(OperationsPerInvoke = Cycles)]
    public async Task PotteryCycle()
    {
        for (var i = 0; i < Cycles; i++)
        {
            await using (await _holder.AcquireAsync())
            {
            }
        }
    }

    /// <summary>Sixteen callers each cycle their own lock at once: cycles per second under load, per cycle.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent * CyclesPerCaller)]
    public Task DistributedLockConcurrentCycles() => Task.WhenAll(_peers.Select(async peer =>
    {
        for (var i = 0; i < CyclesPerCaller; i++)
        {
            await using (await peer.AcquireAsync())
            {
            }
        }
    }));

    /// <summary>Sixteen callers each cycle their own lock at once, per cycle.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent * CyclesPerCaller)]
    public Task PotteryConcurrentCycles() => Task.WhenAll(_many.Select(async redlock =>
    {
        for (var i = 0; i < CyclesPerCaller; i++)
        {
            await using (await redlock.AcquireAsync())
            {
            }
        }
    }));

    [Benchmark]
    public async Task DistributedLockHandOff()
    {
        var held = await _peer.AcquireAsync();
        var waiting = _peerWaiter.AcquireAsync().AsTask();
        await held.DisposeAsync();
        await (await waiting).DisposeAsync();
    }

    [Benchmark]
    public async Task PotteryHandOff()
    {
        var held = await _holder.AcquireAsync();
        var waiting = _waiter.AcquireAsync();
        await held.DisposeAsync();
        await (await waiting).DisposeAsync();
    }
}

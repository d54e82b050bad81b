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

    private const int Concurrent = 16;

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

    [GlobalCleanup]
    public async Task Stop()
    {
        _holder.Dispose();
        _waiter.Dispose();
        await _masters.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task DistributedLockCycle()
    {
        await using (await _peer.AcquireAsync())
        {
        }
    }

    [Benchmark]
    public async Task PotteryCycle()
    {
        await using (await _holder.LockAsync())
        {
        }
    }

    /// <summary>Sixteen callers each cycle their own lock at once: cycles per second under load, per cycle.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task DistributedLockConcurrentCycles() => Task.WhenAll(_peers.Select(async peer =>
    {
        await using (await peer.AcquireAsync())
        {
        }
    }));

    /// <summary>Sixteen callers each cycle their own lock at once, per cycle.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task PotteryConcurrentCycles() => Task.WhenAll(_many.Select(async redlock =>
    {
        await using (await redlock.LockAsync())
        {
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
        var held = await _holder.LockAsync();
        var waiting = _waiter.LockAsync();
        await held.DisposeAsync();
        await (await waiting).DisposeAsync();
    }
}

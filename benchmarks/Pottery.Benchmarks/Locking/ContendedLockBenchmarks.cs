using BenchmarkDotNet.Attributes;
using Medallion.Threading.Redis;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Locking;

/// <summary>
/// Many callers of one process contending for ONE lock key, each cycle (acquire, waiting as long as
/// it takes, then release) creating a fresh lock object as generated <c>[Synchronize]</c> wrappers
/// do: Redlock next to DistributedLock.Redis on the same servers.
/// </summary>
/// <remarks>
/// <para>A call runs <see cref="Callers"/> callers that cycle until together they completed
/// <see cref="CyclesPerCall"/> cycles; the one that completes the last cancels the others' waits.
/// The time per operation is the call's time over those cycles: the steady-state cycle time under
/// contention, whoever gets the lock each time.</para>
/// <para>The hand-off measure counts only hand-offs: acquisitions by another caller than the
/// previous acquisition's, <see cref="HandOffsPerCall"/> of them per call (cycles in which a caller
/// re-takes the lock it just released do not count, but their time does). It is paired with as many
/// PING round trips on the same server, so the ratio is a hand-off's time in round trips; a hand-off
/// that needs the release, a wake-up and the acquire, one after the other, costs three.</para>
/// </remarks>
[MemoryDiagnoser]
public class ContendedLockBenchmarks
{
    internal const int CyclesPerCall = 256;
    internal const int HandOffsPerCall = 256;

    private RedisMasters _masters = null!;
    private IDatabase[] _databases = [];

    [Params(1, 5)]
    public int Masters { get; set; }

    [Params(4, 16)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task Start()
    {
        _masters = await RedisMasters.StartAsync(Masters);
        _databases = _masters.Databases.ToArray();
    }

    [GlobalCleanup]
    public async Task Stop() => await _masters.DisposeAsync();

    /// <summary>Contended cycles of DistributedLock.Redis, per cycle.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CyclesPerCall)]
    public Task DistributedLockContended() => DistributedLockCycles(Callers);

    /// <summary>Contended cycles of Redlock, per cycle.</summary>
    [Benchmark(OperationsPerInvoke = CyclesPerCall)]
    public Task PotteryContended() => PotteryCycles(Callers);

    /// <summary><paramref name="callers"/> callers cycle fresh DistributedLock.Redis locks on one key until together they did <see cref="CyclesPerCall"/> cycles.</summary>
    internal Task DistributedLockCycles(int callers) =>
        Contend(callers, CyclesPerCall, handOffsOnly: false, stop => new RedisDistributedLock("peer:contended", _databases).AcquireAsync(cancellationToken: stop));

    /// <summary><paramref name="callers"/> callers cycle fresh Redlocks on one key until together they did <see cref="CyclesPerCall"/> cycles.</summary>
    internal Task PotteryCycles(int callers) =>
        Contend(callers, CyclesPerCall, handOffsOnly: false, stop => new Redlock("bench:contended", _databases).AcquireAsync(cancellationToken: stop));

    /// <summary><paramref name="callers"/> callers cycle fresh Redlocks on one key until the lock changed hands <see cref="HandOffsPerCall"/> times.</summary>
    internal Task PotteryHandOffs(int callers) =>
        Contend(callers, HandOffsPerCall, handOffsOnly: true, stop => new Redlock("bench:handoffs", _databases).AcquireAsync(cancellationToken: stop));

    /// <summary><see cref="HandOffsPerCall"/> PINGs to the first master, one after the other.</summary>
    internal async Task PingRoundTrips()
    {
        for (var i = 0; i < HandOffsPerCall; i++)
        {
            await _databases[0].PingAsync();
        }
    }

    /// <summary>
    /// Runs <paramref name="callers"/> callers that acquire and release until together they did
    /// <paramref name="operations"/> cycles (or, with <paramref name="handOffsOnly"/>, hand-offs of an
    /// exclusive lock); the semaphore and reader-writer lock benchmarks cycle the same way.
    /// </summary>
    internal static async Task Contend<THandle>(int callers, int operations, bool handOffsOnly, Func<CancellationToken, ValueTask<THandle>> acquire)
        where THandle : IAsyncDisposable
    {
        using var stop = new CancellationTokenSource();
        var run = new Run(operations);
        var running = new Task[callers];
        for (var caller = 0; caller < callers; caller++)
        {
            running[caller] = CycleAsync(caller, run, handOffsOnly, acquire, stop);
        }

        await Task.WhenAll(running);
    }

    private static async Task CycleAsync<THandle>(int caller, Run run, bool handOffsOnly, Func<CancellationToken, ValueTask<THandle>> acquire, CancellationTokenSource stop)
        where THandle : IAsyncDisposable
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var handle = await acquire(stop.Token);
                try
                {
                    // Under the lock: only the holder reads and writes the run's state (hand-offs are
                    // counted only for exclusive locks; shared holders just count down together).
                    var counted = !handOffsOnly || run.LastHolder != caller;
                    run.LastHolder = caller;
                    if (counted && Interlocked.Decrement(ref run.Remaining) == 0)
                    {
                        stop.Cancel();
                    }
                }
                finally
                {
                    await handle.DisposeAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is complete; waiting callers leave.
        }
    }

    private sealed class Run(int operations)
    {
        public int Remaining = operations;
        public int LastHolder = -1;
    }
}

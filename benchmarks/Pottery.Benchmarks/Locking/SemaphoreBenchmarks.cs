using BenchmarkDotNet.Attributes;
using Medallion.Threading.Redis;
using Pottery.Testing.Redis;
using StackExchange.Redis;

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

    // A script that does nothing: the cost of a script round trip itself, with no work on the server.
    private const string NothingScript = "return 1";

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

    /// <summary>
    /// The floor of DistributedLock's one-caller cycle (an acquire script, then an awaited release):
    /// <see cref="CyclesPerCall"/> pairs of scripts that do nothing, each awaited.
    /// </summary>
    internal async Task TwoAwaitedScripts()
    {
        var database = _masters.Databases[0];
        for (var i = 0; i < CyclesPerCall; i++)
        {
            await database.ScriptEvaluateAsync(NothingScript);
            await database.ScriptEvaluateAsync(NothingScript);
        }
    }

    /// <summary>
    /// The floor of Pottery's one-caller cycle (the previous release sent without waiting, then an
    /// awaited acquire): <see cref="CyclesPerCall"/> pairs of scripts that do nothing, the first fire-and-forget.
    /// </summary>
    internal async Task FireAndForgetThenAwaitedScript()
    {
        var database = _masters.Databases[0];
        for (var i = 0; i < CyclesPerCall; i++)
        {
            database.ScriptEvaluate(NothingScript, flags: CommandFlags.FireAndForget);
            await database.ScriptEvaluateAsync(NothingScript);
        }
    }

    /// <summary><paramref name="callers"/> callers cycle <see cref="RedisSemaphore"/> permits until together they did <see cref="CyclesPerCall"/> cycles.</summary>
    internal Task PotteryCycles(int callers) =>
        ContendedLockBenchmarks.Contend(callers, CyclesPerCall, handOffsOnly: false, stop => _semaphore.AcquireAsync(cancellationToken: stop));
}

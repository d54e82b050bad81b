using System.Globalization;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Locking;

/// <summary>
/// Lock cycles written by hand over StackExchange.Redis with no lock class around them: the floor
/// under <see cref="LockBenchmarks"/> on one master. The acquire is SET NX PX and INCR of the fencing
/// counter pipelined (what Redlock sends), the same two in a script (what Redlock sent before
/// 2026-11-26) or in MULTI/EXEC, or a bare SET NX PX (no fencing token); the release is Redlock's
/// script, sent without waiting, as a scope's end sends it.
/// </summary>
internal sealed class HandWrittenCycles(IDatabase master)
{
    private const string AcquireSource = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end return 0";
    private const string ReleaseSource = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], '') end return 1 end return 0";
    private static readonly TimeSpan AutoRelease = TimeSpan.FromSeconds(10);
    private long _tokens;

    /// <summary>Script acquire; <paramref name="callers"/> callers each cycle their own lock <see cref="LockBenchmarks.CyclesPerCaller"/> times.</summary>
    public Task ScriptCycles(int callers) => Cycles(callers, async (keys, token) => (long)await master.ScriptEvaluateAsync(AcquireSource, keys, [token, (long)AutoRelease.TotalMilliseconds]) > 0);

    /// <summary>MULTI/EXEC acquire (the counter rises on every try, which fencing allows).</summary>
    public Task TransactionCycles(int callers) => Cycles(callers, async (keys, token) =>
    {
        var transaction = master.CreateTransaction();
        var set = transaction.StringSetAsync(keys[0], token, AutoRelease, When.NotExists);
        var fence = transaction.StringIncrementAsync(keys[1]);
        await transaction.ExecuteAsync();
        return await set && await fence > 0;
    });

    /// <summary>SET NX PX and INCR of the counter pipelined as two plain commands (no script, no transaction).</summary>
    public Task PipelinedCycles(int callers) => Cycles(callers, async (keys, token) =>
    {
        var set = master.StringSetAsync(keys[0], token, AutoRelease, When.NotExists);
        var fence = master.StringIncrementAsync(keys[1]);
        return await set && await fence > 0;
    });

    /// <summary>Bare SET NX PX acquire, without a fencing token.</summary>
    public Task PlainCycles(int callers) => Cycles(callers, (keys, token) => master.StringSetAsync(keys[0], token, AutoRelease, When.NotExists));

    private Task Cycles(int callers, Func<RedisKey[], RedisValue, Task<bool>> acquire) => Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
    {
        RedisKey[] keys = [$"hand:{caller}", $"hand:{caller}:fence"];
        for (var i = 0; i < LockBenchmarks.CyclesPerCaller; i++)
        {
            RedisValue token = Interlocked.Increment(ref _tokens).ToString(CultureInfo.InvariantCulture);
            if (!await acquire(keys, token))
            {
                throw new InvalidOperationException($"The hand-written acquire of {keys[0]} failed.");
            }

            master.ScriptEvaluate(ReleaseSource, keys, [token, "hand:released"], CommandFlags.FireAndForget);
        }
    }));
}

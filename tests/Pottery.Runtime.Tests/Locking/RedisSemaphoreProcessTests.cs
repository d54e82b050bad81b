using System.Diagnostics;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>Semaphores shared with a separate OS process, as between services.</summary>
public sealed class RedisSemaphoreProcessTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Tasks_and_another_process_never_hold_more_permits_than_there_are()
    {
        var name = TestKeys.Unique("sem").ToString();
        var holders = TestKeys.Unique("holders");
        using var process = LockWorkerProcess.Start("semaphore", name, "2", "10000", holders.ToString(), "150", redis.Endpoint);
        var over = 0;

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            var semaphore = new RedisSemaphore(name, _db, 2);
            for (var i = 0; i < 150; i++)
            {
                await using (await semaphore.AcquireAsync(TimeSpan.FromSeconds(60)))
                {
                    if (await _db.StringIncrementAsync(holders) > 2)
                    {
                        Interlocked.Increment(ref over);
                    }

                    await Task.Yield();
                    await _db.StringDecrementAsync(holders);
                }
            }
        }))).WaitAsync(Deadline);

        Assert.Equal("DONE 0", await process.FirstLine.WaitAsync(Deadline));
        Assert.Equal(0, over);
        Assert.Equal(0, (long)await _db.StringGetAsync(holders));
    }

    [Fact]
    public async Task A_killed_holders_permit_comes_back_after_its_lease_and_not_before()
    {
        var name = TestKeys.Unique("sem").ToString();
        var semaphore = new RedisSemaphore(name, _db, 1);
        using var process = LockWorkerProcess.Start("semaphore", name, "1", "2000", "unused", "0", redis.Endpoint);
        Assert.Equal("ACQUIRED", await process.FirstLine.WaitAsync(TimeSpan.FromMinutes(1)));

        process.Kill();
        var remaining = TimeSpan.FromMilliseconds((long)await _db.ScriptEvaluateAsync(
            "local t = redis.call('TIME') local e = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES') return tonumber(e[2]) - (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))",
            [semaphore.Key]));
        var killedAt = Stopwatch.GetTimestamp();

        Assert.True(remaining > TimeSpan.Zero, "the dead holder's permit outlives it until its lease ends");
        Assert.Equal(0, await semaphore.AvailableCountAsync());
        Assert.Null(await semaphore.TryAcquireAsync());
        var held = await semaphore.AcquireAsync(TimeSpan.FromSeconds(20));
        var waited = Stopwatch.GetElapsedTime(killedAt);
        Assert.True(waited >= remaining - TimeSpan.FromMilliseconds(20), $"granted after {waited.TotalMilliseconds} ms, but the server said {remaining.TotalMilliseconds} ms were left");
        await held.ReleaseAsync();

        // Nothing of the semaphore is left once its last permit is given back.
        Assert.False(await _db.KeyExistsAsync(semaphore.Key));
        Assert.False(await _db.KeyExistsAsync(DerivedKey.For(semaphore.Key, "waiting")));
    }
}

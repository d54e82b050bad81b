using System.Diagnostics;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>Reader-writer locks shared with a separate OS process, as between services.</summary>
public sealed class RedisReaderWriterLockProcessTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Tasks_and_another_process_never_see_a_writer_with_anyone_else()
    {
        var name = TestKeys.Unique("rw").ToString();
        var (readers, writers) = (TestKeys.Unique("readers"), TestKeys.Unique("writers"));
        using var process = LockWorkerProcess.Start("rwcycles", name, readers.ToString(), writers.ToString(), "100", redis.Endpoint);
        var overlaps = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            var rwlock = new RedisReaderWriterLock(name, _db);
            for (var i = 0; i < 100; i++)
            {
                var write = (caller + i) % 4 == 0;
                await using (write ? await rwlock.AcquireWriteAsync(TimeSpan.FromSeconds(60)) : await rwlock.AcquireReadAsync(TimeSpan.FromSeconds(60)))
                {
                    var (mine, theirs) = write ? (writers, readers) : (readers, writers);
                    var with = await _db.StringIncrementAsync(mine);
                    if ((write && with != 1) || (long)await _db.StringGetAsync(theirs) != 0)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    await Task.Yield();
                    await _db.StringDecrementAsync(mine);
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal("DONE 0", await process.FirstLine.WaitAsync(TimeSpan.FromMinutes(3)));
        Assert.Equal(0, overlaps);
        Assert.Equal(0, (long)await _db.StringGetAsync(readers));
        Assert.Equal(0, (long)await _db.StringGetAsync(writers));
    }

    [Theory]
    [InlineData("write", "read")]
    [InlineData("read", "write")]
    public async Task A_killed_holders_lease_comes_back_after_it_ends_and_not_before(string killed, string next)
    {
        var name = TestKeys.Unique("rw").ToString();
        var rwlock = new RedisReaderWriterLock(name, _db);
        var held = killed == "write" ? DerivedKey.For(rwlock.Key, "writer") : rwlock.Key;
        using var process = LockWorkerProcess.Start("rwlock", name, killed, "2000", redis.Endpoint);
        Assert.Equal("ACQUIRED", await process.FirstLine.WaitAsync(TimeSpan.FromMinutes(1)));

        process.Kill();
        var remaining = TimeSpan.FromMilliseconds((long)await _db.ScriptEvaluateAsync(
            "local t = redis.call('TIME') local e = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES') return tonumber(e[2]) - (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))",
            [held]));
        var killedAt = Stopwatch.GetTimestamp();

        Assert.True(remaining > TimeSpan.Zero, "the dead holder's lease outlives it until it ends");
        Assert.Equal(killed == "write", await rwlock.IsWriteHeldAsync());
        Assert.Equal(killed == "read" ? 1 : 0, await rwlock.ReaderCountAsync());
        Assert.Null(next == "write" ? await rwlock.TryAcquireWriteAsync() : await rwlock.TryAcquireReadAsync());
        var handle = next == "write" ? await rwlock.AcquireWriteAsync(TimeSpan.FromSeconds(20)) : await rwlock.AcquireReadAsync(TimeSpan.FromSeconds(20));
        var waited = Stopwatch.GetElapsedTime(killedAt);
        Assert.True(waited >= remaining - TimeSpan.FromMilliseconds(20), $"granted after {waited.TotalMilliseconds} ms, but the server said {remaining.TotalMilliseconds} ms were left");
        await handle.ReleaseAsync();

        // Nothing of the lock is left once its last holder lets go.
        foreach (var key in new[] { rwlock.Key, DerivedKey.For(rwlock.Key, "writer"), DerivedKey.For(rwlock.Key, "waiting"), DerivedKey.For(rwlock.Key, "waiters") })
        {
            Assert.False(await _db.KeyExistsAsync(key), $"{key} is left behind");
        }
    }
}

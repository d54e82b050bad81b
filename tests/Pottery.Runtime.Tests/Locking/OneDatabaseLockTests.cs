using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

// Redlock and NextId over one IDatabase: on a cluster that database is every master, each key served
// by its slot's master, and a lock's fencing counter shares the lock key's slot.
public abstract class OneDatabaseLockTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Acquire_extend_contend_and_release()
    {
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), _db, TimeSpan.FromSeconds(10));

        var handle = await redlock.AcquireAsync();
        Assert.Equal(handle.Token, (string?)await _db.StringGetAsync(redlock.Key));
        Assert.True(await redlock.HeldForAsync() > TimeSpan.Zero);
        await handle.ExtendAsync();
        Assert.Equal(1, handle.Extensions);
        Assert.Null(await redlock.TryAcquireAsync());
        await handle.ReleaseAsync();

        Assert.Equal(TimeSpan.Zero, await redlock.HeldForAsync());
        Assert.False(await _db.KeyExistsAsync(redlock.Key));
        await (await redlock.AcquireAsync(TimeSpan.Zero)).ReleaseAsync();
    }

    [Fact]
    public async Task Fencing_tokens_increase_and_the_fence_shares_the_lock_keys_slot()
    {
        var redlock = new Redlock(TestKeys.Unique("fenced").ToString(), _db) { Fenced = true };

        var tokens = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            await using var handle = await redlock.AcquireAsync();
            tokens.Add(handle.FencingToken);
        }

        Assert.Equal(tokens.Order(), tokens);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        var fence = DerivedKey.For(redlock.Key, "fence");
        // Distinct: a replica the client still takes for a master (its topology lags a failover) lists the same key again.
        var fenceKeys = redis.Connection.GetServers().Where(s => !s.IsReplica).SelectMany(s => s.Keys(pattern: $"*{redlock.Name}*fence*")).Distinct().ToArray();
        var stored = Assert.Single(fenceKeys);
        Assert.Equal(HashSlot.Of(redlock.Key), HashSlot.Of(stored));
        Assert.True(HashSlot.Of(fence) == HashSlot.Of(redlock.Key));
    }

    [Fact]
    public async Task Locks_on_keys_of_every_slot_range_are_held_independently()
    {
        var locks = Enumerable.Range(0, 24).Select(i => new Redlock(TestKeys.Unique("many" + i).ToString(), _db) { Fenced = true }).ToArray();

        var handles = await Task.WhenAll(locks.Select(l => l.AcquireAsync().AsTask()));

        Assert.All(handles, h => Assert.True(h.FencingToken >= 1));
        foreach (var redlock in locks)
        {
            Assert.Null(await redlock.TryAcquireAsync());
        }

        await Task.WhenAll(handles.Select(h => h.ReleaseAsync().AsTask()));
        foreach (var redlock in locks)
        {
            Assert.Equal(TimeSpan.Zero, await redlock.HeldForAsync());
        }
    }

    [Fact]
    public async Task A_waiter_on_another_connection_is_woken_by_the_release()
    {
        var name = TestKeys.Unique("wake").ToString();
        using var elsewhere = await redis.ConnectAsync();
        var holder = new Redlock(name, _db);
        var waiter = new Redlock(name, elsewhere.GetDatabase()) { RetryDelay = TimeSpan.FromSeconds(30) };
        var held = await holder.AcquireAsync();

        var waiting = waiter.AcquireAsync(Deadline).AsTask();
        // The waiter's first try failed and it listens before the release.
        await Eventually.SucceedsAsync(async () => await SubscribersAsync(holder.Key.ToString() + ":released") > 0 ? true : throw new InvalidOperationException("nobody listens yet"), Deadline);
        Assert.False(waiting.IsCompleted);
        await held.ReleaseAsync();

        // The retry pause is 30 s: only the release's announcement can end the wait sooner.
        var next = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        await next.ReleaseAsync();
    }

    private async Task<long> SubscribersAsync(string channel)
    {
        long count = 0;
        foreach (var server in redis.Connection.GetServers())
        {
            var reply = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
            count += (long)reply[1];
        }

        return count;
    }

    [Fact]
    public async Task NextId_counts_from_one_and_resets()
    {
        var name = TestKeys.Unique("ids").ToString();
        var ids = new NextId(name, _db);

        Assert.Equal(1, await ids.NextAsync());
        Assert.Equal(2, ids.Next());
        Assert.Equal(3, await new NextId(name, _db).NextAsync());
        await ids.ResetAsync();
        Assert.Equal(1, await ids.NextAsync());
    }
}

public sealed class OneDatabaseLockTestsOnStandalone(RedisServerFixture redis) : OneDatabaseLockTests(redis), IClassFixture<RedisServerFixture>;

public sealed class OneDatabaseLockTestsOnCluster(SharedClusterFixture redis) : OneDatabaseLockTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class OneDatabaseLockTestsOnGarnet(SharedGarnetFixture redis) : OneDatabaseLockTests(redis), IClassFixture<SharedGarnetFixture>;

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

public abstract class SynchronizeTests(IRedisFixture redis)
{
    [Fact]
    public async Task Bodies_run_one_at_a_time_and_release_the_lock_afterwards()
    {
        var name = TestKeys.Unique("lock").ToString();
        var inside = 0;
        var maxInside = 0;

        var redlock = new Redlock(name, redis.Database);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await Synchronize.RunAsync(redlock, async token =>
                {
                    var now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref maxInside, now);
                    await Task.Yield();
                    Interlocked.Decrement(ref inside);
                });
            }
        })));

        Assert.Equal(1, maxInside);
        var probe = new Redlock(name, redis.Database);
        Assert.Equal(TimeSpan.Zero, await probe.HeldForAsync());
        Assert.Equal(42, Synchronize.Run(probe, () => 42));
        var ran = false;
        Synchronize.Run(probe, () => { ran = true; });
        Assert.True(ran);
    }

    [Fact]
    public async Task The_body_sees_a_token_that_fires_when_the_lock_is_lost()
    {
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), redis.Database, autoReleaseTime: TimeSpan.FromMilliseconds(300));

        var lost = await Synchronize.RunAsync(redlock, async token =>
        {
            var fired = new TaskCompletionSource();
            using var registration = token.Register(fired.SetResult);
            await fired.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return token.IsCancellationRequested;
        });

        Assert.True(lost);
    }

    [Fact]
    public async Task A_lock_that_cannot_be_had_in_time_throws_TimeoutException_and_the_body_does_not_run()
    {
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), redis.Database);
        await using var held = await redlock.AcquireAsync();
        var ran = false;

        Assert.Throws<TimeoutException>(() => Synchronize.Run(redlock, () => { ran = true; }, TimeSpan.Zero));
        Assert.Throws<TimeoutException>(() => Synchronize.Run(redlock, _ => ran = true, TimeSpan.FromMilliseconds(100)));
        await Assert.ThrowsAsync<TimeoutException>(async () => await Synchronize.RunAsync(redlock, _ => { ran = true; return default; }, TimeSpan.FromMilliseconds(100)));
        Assert.False(ran);
    }

    [Fact]
    public void Cached_descriptions_are_kept_while_the_masters_are_the_same()
    {
        var other = redis.Connection.GetDatabase(1);
        Redlock? cache = null;

        var first = Synchronize.Cached(ref cache, "cached", redis.Database, TimeSpan.FromSeconds(10));
        Assert.Same(first, Synchronize.Cached(ref cache, "cached", redis.Database, TimeSpan.FromSeconds(10)));
        var moved = Synchronize.Cached(ref cache, "cached", other, TimeSpan.FromSeconds(10));
        Assert.NotSame(first, moved);
        Assert.Same(moved, cache);

        Redlock? many = null;
        IDatabase[] masters = [redis.Database, other];
        var overBoth = Synchronize.Cached(ref many, "cached", masters, TimeSpan.FromSeconds(10));
        Assert.Same(overBoth, Synchronize.Cached(ref many, "cached", new List<IDatabase>(masters), TimeSpan.FromSeconds(10)));
        Assert.Same(overBoth, Synchronize.Cached(ref many, "cached", masters.Select(m => m), TimeSpan.FromSeconds(10)));
        masters[1] = redis.Database;
        Assert.NotSame(overBoth, Synchronize.Cached(ref many, "cached", masters, TimeSpan.FromSeconds(10)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var previous = Interlocked.CompareExchange(ref target, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }
}

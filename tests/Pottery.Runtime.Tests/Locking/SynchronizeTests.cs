using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Locking;

public sealed class SynchronizeTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Bodies_run_one_at_a_time_and_release_the_lock_afterwards()
    {
        var name = TestKeys.Unique("lock").ToString();
        var inside = 0;
        var maxInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var redlock = new Redlock(name, redis.Database);
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
        using var probe = new Redlock(name, redis.Database);
        Assert.Equal(TimeSpan.Zero, await probe.HeldForAsync());
        Assert.Equal(42, Synchronize.Run(probe, () => 42));
        var ran = false;
        Synchronize.Run(probe, () => { ran = true; });
        Assert.True(ran);
    }

    [Fact]
    public async Task The_body_sees_a_token_that_fires_when_the_lock_is_lost()
    {
        using var redlock = new Redlock(TestKeys.Unique("lock").ToString(), redis.Database, autoReleaseTime: TimeSpan.FromMilliseconds(300));

        var lost = await Synchronize.RunAsync(redlock, async token =>
        {
            var fired = new TaskCompletionSource();
            using var registration = token.Register(fired.SetResult);
            await fired.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return token.IsCancellationRequested;
        });

        Assert.True(lost);
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

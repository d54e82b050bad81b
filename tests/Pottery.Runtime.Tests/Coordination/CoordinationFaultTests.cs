using System.Threading.RateLimiting;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.Coordination;

/// <summary>
/// The coordination primitives with their server frozen (SIGSTOP) or killed and restarted: a timed
/// wait ends at its deadline, and once the server is back every primitive works again on the same
/// objects and connection. Each test starts its own server.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class CoordinationFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Allowance = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task Timed_waits_on_a_paused_server_end_at_their_deadline()
    {
        await using var masters = await RedisMasters.StartAsync(1);
        var db = masters.Databases[0];
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), db, permits: 1);
        var signal = new RedisEvent(db, TestKeys.Unique("event"));
        var latch = new RedisCountdownLatch(db, 2, TestKeys.Unique("latch"));
        var barrier = new RedisBarrier(db, 2, TestKeys.Unique("barrier"));

        // The first calls compile the paths and load the scripts; the measured calls are not the first.
        await (await semaphore.AcquireAsync()).ReleaseAsync();
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20)));
        Assert.False(await latch.WaitAsync(TimeSpan.FromMilliseconds(20)));
        Assert.False(await barrier.SignalAndWaitAsync(TimeSpan.FromMilliseconds(20)));

        using (masters.Pause(0))
        {
            var (result, took) = await Timed(async () => await semaphore.TryAcquireAsync(Timeout) is not null);
            Assert.Equal(false, result);
            Within(took, "RedisSemaphore.TryAcquireAsync");
            (result, took) = await Timed(async () => await signal.WaitAsync(Timeout));
            Assert.Equal(false, result);
            Within(took, "RedisEvent.WaitAsync");
            (result, took) = await Timed(async () => await latch.WaitAsync(Timeout));
            Assert.Equal(false, result);
            Within(took, "RedisCountdownLatch.WaitAsync");
            (result, took) = await Timed(async () => await barrier.SignalAndWaitAsync(Timeout));
            Assert.NotEqual(true, result);
            Within(took, "RedisBarrier.SignalAndWaitAsync");
        }

        // Nothing a timed-out call did keeps the primitives from working once the server answers.
        await using (await semaphore.AcquireAsync(TimeSpan.FromSeconds(30)))
        {
            await signal.SetAsync();
            Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task Every_primitive_works_again_after_its_server_is_killed_and_restarted()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var db = connection.GetDatabase();
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), db, permits: 2);
        var signal = new RedisEvent(db, TestKeys.Unique("event"));
        var topic = new RedisTopic<string>(db, TestKeys.Unique("topic").ToString());
        using var limiter = new RedisSlidingWindowRateLimiter(db, TestKeys.Unique("limit"), new() { PermitLimit = 5, Window = TimeSpan.FromHours(1) });
        await (await semaphore.AcquireAsync()).ReleaseAsync();
        await signal.SetAsync();
        Assert.True(limiter.AttemptAcquire().IsAcquired);

        server.Kill();
        await server.RestartAsync();

        // The connection comes back on its own; each primitive is used as it was, with nothing recreated.
        await Eventually.SucceedsAsync(
            async () =>
            {
                await using (await semaphore.AcquireAsync(TimeSpan.FromSeconds(5)))
                {
                    return Assert.IsType<int>(await semaphore.AvailableCountAsync()) == 1 ? true : throw new InvalidOperationException("Both permits should be free but one.");
                }
            },
            TimeSpan.FromSeconds(30));
        Assert.False(await signal.IsSetAsync());
        await signal.SetAsync();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5)));
        using (var lease = limiter.AttemptAcquire())
        {
            Assert.True(lease.IsAcquired);
        }

        await using var subscription = await topic.SubscribeAsync();
        await topic.PublishAsync("after the restart");
        await using var messages = subscription.GetAsyncEnumerator();
        Assert.True(await messages.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("after the restart", messages.Current);
    }

    private static async Task<(bool? Result, TimeSpan Took)> Timed(Func<Task<bool>> call)
    {
        bool? result = null;
        var (_, took) = await DeadlineCheck.TimedAsync(async () => result = await call());
        return (result, took);
    }

    private void Within(TimeSpan took, string what) => DeadlineCheck.Within(output, Timeout + Allowance, took, what);
}

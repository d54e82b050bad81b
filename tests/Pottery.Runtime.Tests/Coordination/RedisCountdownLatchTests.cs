using Pottery.Runtime.Tests.Queues;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Coordination;

public abstract class RedisCountdownLatchTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Signals_from_many_clients_open_it_exactly_once_and_wake_the_waiters()
    {
        var key = TestKeys.Unique("latch");
        await using var other = await redis.ConnectAsync();
        var waiting = new RedisCountdownLatch(other.GetDatabase(), 20, key) { RetryPause = TimeSpan.FromHours(1) };
        var waiter = waiting.WaitAsync(TimeSpan.FromMinutes(5)).AsTask();
        await PubSub.UntilListenedAsync(_db, $"{key}:open");
        Assert.Equal(20, await waiting.CurrentCountAsync());

        var latch = new RedisCountdownLatch(_db, 20, key);
        var opened = await Task.WhenAll(Enumerable.Range(0, 19).Select(_ => latch.SignalAsync().AsTask()));
        Assert.DoesNotContain(true, opened);
        Assert.False(waiter.IsCompleted);
        Assert.Equal(1, latch.CurrentCount());

        Assert.True(await latch.SignalAsync());
        Assert.True(await waiter.WaitAsync(Deadline));
        Assert.Equal(0, await latch.CurrentCountAsync());
        Assert.True(latch.Wait(TimeSpan.Zero));
    }

    [Fact]
    public async Task Too_many_signals_count_nothing_and_say_so()
    {
        var key = TestKeys.Unique("latch");
        var latch = new RedisCountdownLatch(_db, 3, key);

        Assert.False(await latch.SignalAsync(2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => latch.SignalAsync(2).AsTask());
        Assert.Equal(1, await latch.CurrentCountAsync());
        Assert.True(latch.Signal());
        Assert.Throws<InvalidOperationException>(() => latch.Signal());
        Assert.Equal("0", await _db.StringGetAsync(key));
    }

    [Fact]
    public async Task Timeouts_cancellation_bad_arguments_and_wrong_types_get_typed_answers()
    {
        var key = TestKeys.Unique("latch");
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisCountdownLatch(_db, 0, key));
        var latch = new RedisCountdownLatch(_db, 2, key);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => latch.SignalAsync(0).AsTask());

        Assert.False(await latch.WaitAsync(TimeSpan.FromMilliseconds(200)));
        await PubSub.NoneLeftAsync(_db, key);
        using var cancel = new CancellationTokenSource();
        var waiting = latch.WaitAsync(cancellationToken: cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));

        await _db.StringSetAsync(key, "not a number");
        await Assert.ThrowsAsync<CodecException>(() => latch.CurrentCountAsync().AsTask());
        await _db.KeyDeleteAsync(key);
        await _db.ListRightPushAsync(key, "x");
        await Assert.ThrowsAsync<WrongTypeException>(() => latch.CurrentCountAsync().AsTask());
        await Assert.ThrowsAsync<WrongTypeException>(() => latch.SignalAsync().AsTask());
    }
}

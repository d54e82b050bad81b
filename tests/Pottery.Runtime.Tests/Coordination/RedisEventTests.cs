using Pottery.Runtime.Tests.Queues;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Coordination;

public abstract class RedisEventTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Set_and_clear_show_in_redis_and_in_IsSet()
    {
        var key = TestKeys.Unique("event");
        var signal = new RedisEvent(_db, key);
        Assert.False(await signal.IsSetAsync());

        await signal.SetAsync();
        Assert.True(signal.IsSet());
        Assert.Equal("1", await _db.StringGetAsync(key));
        Assert.True(await signal.WaitAsync(TimeSpan.Zero));

        signal.Clear();
        Assert.False(await _db.KeyExistsAsync(key));
        Assert.False(await signal.WaitAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task A_waiter_in_another_client_is_woken_by_the_set_not_by_its_retry_pause()
    {
        var key = TestKeys.Unique("event");
        await using var other = await redis.ConnectAsync();
        var waiting = new RedisEvent(other.GetDatabase(), key) { RetryPause = TimeSpan.FromHours(1) };
        var waiters = Enumerable.Range(0, 3).Select(_ => waiting.WaitAsync(TimeSpan.FromMinutes(5)).AsTask()).ToArray();
        await PubSub.UntilListenedAsync(_db, $"{key}:set");

        await new RedisEvent(_db, key).SetAsync();

        Assert.All(await Task.WhenAll(waiters).WaitAsync(Deadline), Assert.True);
    }

    [Fact]
    public async Task A_timed_wait_on_a_clear_event_returns_false_and_leaves_no_subscription()
    {
        var key = TestKeys.Unique("event");
        var signal = new RedisEvent(_db, key);

        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(200)));
        Assert.False(signal.Wait(TimeSpan.FromMilliseconds(50)));
        await PubSub.NoneLeftAsync(_db, key);
    }

    [Fact]
    public async Task Cancellation_bad_timeouts_wrong_types_and_disposal_get_typed_answers()
    {
        var key = TestKeys.Unique("event");
        var signal = new RedisEvent(_db, key);
        using var cancel = new CancellationTokenSource();
        var waiting = signal.WaitAsync(cancellationToken: cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => signal.WaitAsync(TimeSpan.FromSeconds(-2)).AsTask());

        await _db.HashSetAsync(key, "a", "b");
        await Assert.ThrowsAsync<WrongTypeException>(() => signal.IsSetAsync().AsTask());

        var temporary = new RedisEvent(_db);
        await temporary.SetAsync();
        Assert.True(await _db.KeyExistsAsync(temporary.Key));
        temporary.Dispose();
        Assert.False(await _db.KeyExistsAsync(temporary.Key));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => temporary.SetAsync().AsTask());
    }
}

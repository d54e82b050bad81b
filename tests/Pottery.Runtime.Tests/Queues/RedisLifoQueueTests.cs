using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

public abstract class RedisLifoQueueTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Lifo_queue_serves_the_newest_item_first()
    {
        using var q = new RedisLifoQueue<int>(_db, TestKeys.Unique());
        q.Enqueue(1);
        await q.EnqueueAsync(2);
        q.Enqueue(3);

        int[] taken = [q.Dequeue(), await q.DequeueAsync(), q.Dequeue()];
        Assert.Equal([3, 2, 1], taken);
        Assert.False(q.IsFull);
    }

    [Fact]
    public async Task A_bounded_queue_refuses_puts_when_full_and_wakes_waiting_putters_on_get()
    {
        var key = TestKeys.Unique();
        using var q = new RedisLifoQueue<int>(_db, key, capacity: 2);
        q.Enqueue(1);
        q.Enqueue(2);

        Assert.Equal(2, q.Capacity);
        Assert.True(q.IsFull);
        Assert.True(await q.IsFullAsync());
        Assert.False(q.TryEnqueue(3, TimeSpan.Zero));
        Assert.False(await q.TryEnqueueAsync(3, TimeSpan.FromMilliseconds(200)));

        var blockedPut = q.EnqueueAsync(3).AsTask();
        await PubSub.UntilListenedAsync(_db, $"{key}:space");
        Assert.False(blockedPut.IsCompleted);
        Assert.Equal(2, await q.DequeueAsync());
        await blockedPut.WaitAsync(Deadline);

        Assert.Equal(3, q.Dequeue());
        Assert.Equal(1, q.Dequeue());
    }

    [Fact]
    public void A_negative_capacity_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisLifoQueue<int>(_db, TestKeys.Unique(), capacity: -1));
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

public abstract class RedisPriorityQueueTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Priority_queue_serves_lowest_priority_first_and_equal_priorities_in_order()
    {
        var key = TestKeys.Unique();
        using var q = new RedisPriorityQueue<string>(_db, key);
        await q.EnqueueAsync("low-1", 5);
        await q.EnqueueAsync("urgent", -1);
        q.Enqueue("low-2", 5);
        q.Enqueue("low-1", 5);
        Assert.True(q.TryEnqueue("a:b:c", 2.5, TimeSpan.Zero));
        Assert.True(await q.TryEnqueueAsync("tiny", 1e-300, TimeSpan.Zero));
        q.Enqueue("default");

        Assert.Equal(7, q.Count);
        string[] expected = ["urgent", "default", "tiny", "a:b:c", "low-1", "low-2", "low-1"];
        foreach (var item in expected)
        {
            Assert.Equal((true, item), await q.TryDequeueAsync());
        }

        var waiting = q.DequeueAsync().AsTask();
        await PubSub.UntilListenedAsync(_db, $"{key}:items");
        await q.EnqueueAsync("late", 1);
        Assert.Equal("late", await waiting.WaitAsync(Deadline));
        Assert.False(q.TryDequeue(out _));
    }

    [Fact]
    public async Task A_bounded_priority_queue_refuses_items_when_full()
    {
        using var q = new RedisPriorityQueue<int>(_db, TestKeys.Unique(), capacity: 1);
        await q.EnqueueAsync(1, 10);

        Assert.True(q.IsFull);
        Assert.False(await q.TryEnqueueAsync(2, 0, TimeSpan.Zero));
        Assert.False(q.TryEnqueue(2, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(1, q.Dequeue());
        Assert.True(q.TryEnqueue(2, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_priority_that_is_not_a_number_is_refused()
    {
        using var q = new RedisPriorityQueue<int>(_db, TestKeys.Unique());
        Assert.Throws<ArgumentOutOfRangeException>(() => q.Enqueue(1, double.NaN));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => q.TryEnqueueAsync(1, double.NaN, TimeSpan.Zero).AsTask());
        Assert.True(q.IsEmpty);
    }

    [Fact]
    public async Task A_random_key_queue_deletes_its_sequence_on_dispose()
    {
        RedisKey key;
        using (var q = new RedisPriorityQueue<int>(_db))
        {
            key = q.Key;
            await q.EnqueueAsync(1, 1);
            Assert.True(await _db.KeyExistsAsync(DerivedKey.For(key, "sequence")));
        }

        await Eventually.SucceedsAsync(async () => await _db.KeyExistsAsync(DerivedKey.For(key, "sequence")) ? throw new InvalidOperationException("sequence left") : true, Deadline);
        Assert.False(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_member_of_another_shape_is_reported_and_left_intact()
    {
        var key = TestKeys.Unique();
        await _db.SortedSetAddAsync(key, "no colon", 0);
        using var q = new RedisPriorityQueue<string>(_db, key);

        var error = await Assert.ThrowsAsync<CodecException>(() => q.TryDequeueAsync().AsTask());
        Assert.Contains("<sequence>:<priority>:<item>", error.Message, StringComparison.Ordinal);
        Assert.Equal(["no colon"], (await _db.SortedSetRangeByRankAsync(key)).Select(v => (string?)v));
    }

    [Fact]
    public async Task An_item_that_cannot_be_decoded_is_put_back_in_its_place()
    {
        var key = TestKeys.Unique();
        using (var strings = new RedisPriorityQueue<string>(_db, key))
        {
            await strings.EnqueueAsync("not a number", 1);
            await strings.EnqueueAsync("2", 2);
        }

        using var q = new RedisPriorityQueue<int>(_db, key, capacity: 2);
        await Assert.ThrowsAsync<CodecException>(() => q.DequeueAsync().AsTask());
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(key) == 2 ? true : throw new InvalidOperationException("Not back yet."), Deadline);
        Assert.Equal([("not a number", 1.0), ("2", 2.0)], (await _db.SortedSetRangeByRankWithScoresAsync(key)).Select(e => (((string)e.Element!).Split(':', 3)[2], e.Score)));
        await _db.KeyDeleteAsync([key, DerivedKey.For(key, "sequence")]);
    }
}

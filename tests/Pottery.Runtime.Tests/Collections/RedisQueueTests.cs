using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

public sealed class RedisQueueTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Simple_queue_is_first_in_first_out_like_python()
    {
        using var q = new RedisSimpleQueue<string>(_db, TestKeys.Unique());
        q.Put("a");
        await q.PutAsync("b");
        q.PutNowait("ünï");

        Assert.Equal(3, q.QSize());
        Assert.False(q.Empty());
        Assert.False(q.Full());
        Assert.Equal("a", q.Get());
        Assert.Equal("b", await q.GetAsync(timeout: TimeSpan.FromSeconds(1)));
        Assert.Equal("ünï", q.GetNowait());
        Assert.True(q.Empty());
    }

    [Fact]
    public async Task Empty_queue_raises_QueueEmptyException_without_blocking_or_after_the_timeout()
    {
        using var q = new RedisSimpleQueue<int>(_db, TestKeys.Unique());

        using (var log = CommandLog.Start(redis.Connection))
        {
            Assert.Throws<QueueEmptyException>(() => q.GetNowait());
            Assert.Equal(["LPOP"], log.Commands);
        }

        await Assert.ThrowsAsync<QueueEmptyException>(() => q.GetAsync(block: false));
        await Assert.ThrowsAsync<QueueEmptyException>(() => q.GetAsync(timeout: TimeSpan.FromMilliseconds(200)));
        Assert.Throws<QueueEmptyException>(() => q.Get(timeout: TimeSpan.Zero));
        Assert.Equal((false, 0), await q.TryGetAsync(TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => q.GetAsync(timeout: TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public async Task A_blocked_get_is_woken_by_a_put_from_another_connection()
    {
        var key = TestKeys.Unique();
        using var consumer = new RedisSimpleQueue<string>(_db, key);
        await using var otherConnection = await redis.Server.ConnectAsync();
        using var producer = new RedisSimpleQueue<string>(otherConnection.GetDatabase(), key);

        var waiting = consumer.GetAsync();
        Assert.False(waiting.IsCompleted);
        await producer.PutAsync("wake up");

        Assert.Equal("wake up", await waiting.WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_producer_and_a_consumer_exchange_a_thousand_items_in_order()
    {
        var key = TestKeys.Unique();
        using var producerQueue = new RedisQueue<int>(_db, key, consumerId: "producer");
        using var consumerQueue = new RedisQueue<int>(_db, key, consumerId: "consumer");

        var consumer = Task.Run(async () =>
        {
            var received = new List<int>();
            for (var i = 0; i < 1_000; i++)
            {
                received.Add(await consumerQueue.GetAsync());
                await consumerQueue.TaskDoneAsync();
            }

            return received;
        });
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                await producerQueue.PutAsync(i);
            }
        });

        await producer.WaitAsync(Deadline);
        Assert.Equal(Enumerable.Range(0, 1_000), await consumer.WaitAsync(Deadline));
        await producerQueue.JoinAsync().WaitAsync(Deadline);
        Assert.Equal(0, consumerQueue.Unacknowledged());
    }

    [Fact]
    public async Task Cancelling_a_blocked_get_loses_no_item()
    {
        using var q = new RedisSimpleQueue<string>(_db, TestKeys.Unique());
        await AssertCancelledGetLosesNothingAsync(q);
    }

    [Fact]
    public async Task A_bounded_queue_refuses_puts_when_full_and_wakes_blocked_putters_on_get()
    {
        using var q = new RedisLifoQueue<int>(_db, TestKeys.Unique(), maxSize: 2);
        q.Put(1);
        q.Put(2);

        Assert.True(q.Full());
        Assert.Throws<QueueFullException>(() => q.PutNowait(3));
        await Assert.ThrowsAsync<QueueFullException>(() => q.PutAsync(3, timeout: TimeSpan.FromMilliseconds(200)));

        var blockedPut = q.PutAsync(3);
        Assert.False(blockedPut.IsCompleted);
        Assert.Equal(2, await q.GetAsync());
        await blockedPut.WaitAsync(Deadline);

        Assert.Equal(3, q.Get());
        Assert.Equal(1, q.Get());
    }

    [Fact]
    public async Task A_bounded_at_least_once_queue_counts_waiting_items_only()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique(), maxSize: 1);
        await q.PutAsync("first");
        await Assert.ThrowsAsync<QueueFullException>(() => q.PutAsync("second", block: false));

        Assert.Equal("first", await q.GetAsync());
        await q.PutAsync("second", block: false);
        Assert.Equal(1, q.QSize());
        Assert.Equal(1, q.Unacknowledged());
    }

    [Fact]
    public async Task Cancelling_a_blocked_at_least_once_get_returns_any_taken_item_to_the_queue()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique(), consumerId: "impatient");
        await AssertCancelledGetLosesNothingAsync(q);
        Assert.Equal(1, q.Unacknowledged());
    }

    [Fact]
    public async Task Unacknowledged_items_of_a_dead_consumer_can_be_requeued()
    {
        var key = TestKeys.Unique();
        using var producer = new RedisQueue<string>(_db, key);
        using var doomed = new RedisQueue<string>(_db, key, consumerId: "doomed");
        using var survivor = new RedisQueue<string>(_db, key, consumerId: "survivor");
        await producer.PutAsync("job-1");
        await producer.PutAsync("job-2");

        Assert.Equal("job-1", await doomed.GetAsync());
        Assert.Equal(1, doomed.Unacknowledged());
        // "doomed" dies here without TaskDone.

        Assert.Equal(1, await survivor.RequeueAbandonedAsync("doomed"));
        Assert.Equal("job-1", await survivor.GetAsync());
        Assert.Equal("job-2", await survivor.GetAsync());
        await survivor.TaskDoneAsync();
        survivor.TaskDone();
        Assert.Throws<InvalidOperationException>(() => survivor.TaskDone());
        await producer.JoinAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task Join_waits_for_the_last_TaskDone()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<int>(_db, key);
        await q.PutAsync(1);
        await q.PutAsync(2);
        await q.GetAsync();
        await q.GetAsync();

        var joined = q.JoinAsync();
        await q.TaskDoneAsync();
        Assert.False(joined.IsCompleted);
        Assert.Equal("1", (string?)await _db.StringGetAsync(DerivedKey.For(key, "unfinished")));

        await q.TaskDoneAsync();
        await joined.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_blocked_at_least_once_get_moves_the_item_to_the_processing_list()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key, consumerId: "worker");
        var waiting = q.GetAsync(timeout: TimeSpan.FromSeconds(10));
        await q.PutAsync("task");

        Assert.Equal("task", await waiting.WaitAsync(Deadline));
        Assert.Equal(["task"], (await _db.ListRangeAsync(DerivedKey.For(key, "processing:worker"))).Select(v => v.ToString()));
    }

    [Fact]
    public async Task Priority_queue_serves_lowest_priority_first_and_equal_priorities_in_order()
    {
        using var q = new RedisPriorityQueue<string>(_db, TestKeys.Unique());
        await q.PutAsync("low-1", 5);
        await q.PutAsync("urgent", -1);
        q.Put("low-2", 5);
        q.Put("low-1", 5);
        q.Put("a:b:c", 2.5);
        q.Put("default");

        Assert.Equal(6, q.QSize());
        string[] expected = ["urgent", "default", "a:b:c", "low-1", "low-2", "low-1"];
        foreach (var item in expected)
        {
            Assert.Equal(item, await q.GetAsync(block: false));
        }

        var waiting = q.GetAsync();
        await q.PutAsync("late", 1);
        Assert.Equal("late", await waiting.WaitAsync(Deadline));
        Assert.Throws<QueueEmptyException>(() => q.GetNowait());
    }

    [Fact]
    public async Task Bad_input_is_reported()
    {
        var key = TestKeys.Unique();
        await _db.HashSetAsync(key, "f", "v");
        using var wrong = new RedisSimpleQueue<int>(_db, key);
        Assert.Equal("hash", (await Assert.ThrowsAsync<WrongTypeException>(() => wrong.PutAsync(1))).ActualType);

        var listKey = TestKeys.Unique();
        await _db.ListRightPushAsync(listKey, "not a number");
        using var bad = new RedisSimpleQueue<int>(_db, listKey);
        await Assert.ThrowsAsync<CodecException>(() => bad.GetAsync(block: false));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bad.PutAsync(1, cancellationToken: cancelled.Token));
        Assert.Equal(0, await _db.ListLengthAsync(listKey));
    }

    [Fact]
    public async Task A_killed_server_raises_RedisUnavailableException()
    {
        await using var down = await KilledServer.StartAsync();
        using var q = new RedisQueue<string>(down.Database, TestKeys.Unique());

        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.PutAsync("x"));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.GetAsync(block: false));
    }

    // The cancelled blocking command may still take the item put afterwards; it must come back.
    private static async Task AssertCancelledGetLosesNothingAsync(RedisQueueBase<string> q)
    {
        using var cancel = new CancellationTokenSource();
        var waiting = q.GetAsync(cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await q.PutAsync("precious");

        Assert.Equal("precious", await Eventually.SucceedsAsync(() => q.GetAsync(block: false), Deadline));
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

public sealed class RedisQueueTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly IDatabase _db = redis.Database;

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
                received.Add(await consumerQueue.DequeueAsync());
                await consumerQueue.TaskDoneAsync();
            }

            return received;
        });
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                await producerQueue.EnqueueAsync(i);
            }
        });

        await producer.WaitAsync(Deadline);
        Assert.Equal(Enumerable.Range(0, 1_000), await consumer.WaitAsync(Deadline));
        await producerQueue.JoinAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(0, consumerQueue.UnacknowledgedCount);
    }

    [Fact]
    public async Task A_bounded_at_least_once_queue_counts_waiting_items_only()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique(), capacity: 1);
        await q.EnqueueAsync("first");
        Assert.False(await q.TryEnqueueAsync("second", TimeSpan.Zero));

        Assert.Equal("first", await q.DequeueAsync());
        Assert.True(await q.TryEnqueueAsync("second", TimeSpan.Zero));
        Assert.Equal(1, q.Count);
        Assert.Equal(1, q.UnacknowledgedCount);
        Assert.Equal(1, await q.UnacknowledgedCountAsync());
    }

    [Fact]
    public async Task A_waiting_get_moves_the_item_to_the_processing_list()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key, consumerId: "worker");
        var waiting = q.TryDequeueAsync(TimeSpan.FromSeconds(10)).AsTask();
        await q.EnqueueAsync("task");

        Assert.Equal((true, "task"), await waiting.WaitAsync(Deadline));
        Assert.Equal(["task"], (await _db.ListRangeAsync(DerivedKey.For(key, "processing:worker"))).Select(v => v.ToString()));
    }

    [Fact]
    public async Task A_cancelled_waiting_get_leaves_nothing_unacknowledged()
    {
        var key = TestKeys.Unique();
        using var q = (RedisQueue<string>)QueueKind.Open(QueueKind.Fifo, _db, key);
        using var cancel = new CancellationTokenSource();
        var waiting = q.DequeueAsync(cancel.Token).AsTask();
        await PubSub.UntilListenedAsync(_db, $"{key}:items");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await q.EnqueueAsync("precious");
        Assert.Equal(0, q.UnacknowledgedCount);
        Assert.Equal(1, q.Count);
        Assert.Equal("precious", await q.DequeueAsync());
        Assert.Equal(1, q.UnacknowledgedCount);
    }

    [Fact]
    public async Task Unacknowledged_items_of_a_dead_consumer_can_be_requeued()
    {
        var key = TestKeys.Unique();
        using var producer = new RedisQueue<string>(_db, key);
        using var doomed = new RedisQueue<string>(_db, key, consumerId: "doomed");
        using var survivor = new RedisQueue<string>(_db, key, consumerId: "survivor");
        await producer.EnqueueAsync("job-1");
        await producer.EnqueueAsync("job-2");

        Assert.Equal("job-1", await doomed.DequeueAsync());
        Assert.Equal(1, doomed.UnacknowledgedCount);
        // "doomed" dies here without TaskDone.

        Assert.Equal(1, await survivor.RequeueAbandonedAsync("doomed"));
        Assert.Equal(0, survivor.RequeueAbandoned("doomed"));
        Assert.Equal("job-1", await survivor.DequeueAsync());
        Assert.Equal("job-2", await survivor.DequeueAsync());
        await survivor.TaskDoneAsync();
        survivor.TaskDone();
        Assert.Throws<InvalidOperationException>(() => survivor.TaskDone());
        await producer.JoinAsync().AsTask().WaitAsync(Deadline);
        producer.Join();
    }

    [Fact]
    public async Task Requeued_items_wake_a_waiting_get()
    {
        var key = TestKeys.Unique();
        using var doomed = new RedisQueue<string>(_db, key, consumerId: "doomed-waker");
        using var survivor = (RedisQueue<string>)QueueKind.Open(QueueKind.Fifo, _db, key);
        await doomed.EnqueueAsync("job");
        Assert.Equal("job", await doomed.DequeueAsync());

        var waiting = survivor.DequeueAsync().AsTask();
        await PubSub.UntilListenedAsync(_db, $"{key}:items");
        Assert.Equal(1, await survivor.RequeueAbandonedAsync("doomed-waker"));

        Assert.Equal("job", await waiting.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Join_waits_for_the_last_TaskDone()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<int>(_db, key) { RetryPause = TimeSpan.FromHours(1) };
        await q.EnqueueAsync(1);
        await q.EnqueueAsync(2);
        await q.DequeueAsync();
        await q.DequeueAsync();

        var joined = q.JoinAsync().AsTask();
        await q.TaskDoneAsync();
        Assert.False(joined.IsCompleted);
        Assert.Equal("1", (string?)await _db.StringGetAsync(DerivedKey.For(key, "unfinished")));

        await q.TaskDoneAsync();
        await joined.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_random_key_queue_deletes_its_helper_keys_on_dispose()
    {
        RedisKey key;
        using (var q = new RedisQueue<string>(_db, consumerId: "tidy"))
        {
            key = q.Key;
            await q.EnqueueAsync("job");
            await q.DequeueAsync();
        }

        RedisKey[] helpers = [DerivedKey.For(key, "processing:tidy"), DerivedKey.For(key, "unfinished")];
        await Eventually.SucceedsAsync(async () => await _db.KeyExistsAsync(helpers) > 0 ? throw new InvalidOperationException("helper keys left") : true, Deadline);
    }

    [Fact]
    public async Task A_killed_server_raises_RedisUnavailableException()
    {
        await using var down = await KilledServer.StartAsync();
        using var q = new RedisQueue<string>(down.Database, TestKeys.Unique());

        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.EnqueueAsync("x").AsTask());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.TryDequeueAsync().AsTask());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.JoinAsync().AsTask());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.TaskDoneAsync().AsTask());
    }
}

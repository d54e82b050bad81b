using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>
/// Delayed delivery on <see cref="RedisQueue{T}"/>. Every queue that waits here retries after an hour,
/// so a wait that ends in time was ended by the take's own due-time pause or by a wake-up. Whether an
/// item was due is read from the server: its score in the <c>delayed</c> set and the server's clock.
/// </summary>
public abstract class RedisQueueDelayTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task A_delayed_item_is_not_taken_before_it_is_due_and_is_taken_after()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key) { RetryPause = Forever };
        await q.EnqueueAsync("later", TimeSpan.FromSeconds(2));
        var due = await DueAsync(key, "later");

        var early = await q.TryDequeueAsync();
        if (await ServerMillisecondsAsync(key) < due)
        {
            // The take ran before the item was due, by the server's clock.
            Assert.Equal((false, null), early);
            Assert.Equal((1, 1, false), (q.DelayedCount, q.Count, q.IsEmpty));
        }

        var (found, later) = early.Found ? early : await q.TryDequeueAsync(Deadline).AsTask().WaitAsync(Deadline);

        Assert.True(found);
        Assert.True(await ServerMillisecondsAsync(key) >= due);
        Assert.Equal(("later", 1), (later!.Value, later.DeliveryCount));
        Assert.Equal((0, 0, 1), (await q.DelayedCountAsync(), await q.CountAsync(), await q.InFlightCountAsync()));
        Assert.True(await q.AcknowledgeAsync(later));
    }

    [Fact]
    public async Task Delayed_items_leave_by_due_time_then_by_arrival()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key) { RetryPause = Forever };
        await q.EnqueueAsync("at once");

        // Each due time is seconds away from the others, so the order cannot depend on how long a put took.
        await q.EnqueueAsync("second", TimeSpan.FromSeconds(2.5));
        await q.EnqueueAsync("first", TimeSpan.FromSeconds(0.5));
        q.Enqueue("third", TimeSpan.FromSeconds(3));
        var tie = DateTimeOffset.UtcNow.AddSeconds(1.5);
        string[] tied = ["tie-1", "tie-2", "tie-3", "tie-4", "tie-5"];
        foreach (var item in tied)
        {
            await q.EnqueueAsync(item, tie);
        }

        var taken = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            var delivery = await q.DequeueAsync().AsTask().WaitAsync(Deadline);
            taken.Add(delivery.Value);
            Assert.True(await q.AcknowledgeAsync(delivery));
        }

        Assert.Equal("at once", taken[0]);
        Assert.Equal(["first", "second", "third"], taken.Where(t => !t.StartsWith("tie", StringComparison.Ordinal)).Skip(1));
        Assert.Equal(tied, taken.Where(t => t.StartsWith("tie", StringComparison.Ordinal)));
        await q.JoinAsync().AsTask().WaitAsync(Deadline);
    }

    [Fact]
    public async Task An_item_enqueued_after_a_delayed_one_fell_due_leaves_after_it()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key);
        await q.EnqueueAsync("due first", TimeSpan.FromMilliseconds(1));
        var due = await DueAsync(key, "due first");
        await Eventually.SucceedsAsync(async () => await ServerMillisecondsAsync(key) > due ? true : throw new InvalidOperationException("Not due yet."), Deadline);

        await q.EnqueueAsync("enqueued later");

        Assert.Equal("due first", q.Dequeue().Value);
        Assert.Equal("enqueued later", (await q.DequeueAsync()).Value);
    }

    [Fact]
    public async Task Waiting_gets_are_woken_when_delayed_items_fall_due()
    {
        var key = TestKeys.Unique();
        using var other = await redis.ConnectAsync();
        using var first = new RedisQueue<string>(_db, key) { RetryPause = Forever };
        using var second = new RedisQueue<string>(other.GetDatabase(), key) { RetryPause = Forever };
        using var producer = new RedisQueue<string>(_db, key);

        // Two clients wait; each paces itself by the due time it reads, so neither needs its retry pause.
        // They take at the same moment: each item must still reach exactly one of them.
        var waiting = new[] { first.TryDequeueAsync(Forever).AsTask(), second.TryDequeueAsync(Forever).AsTask() };
        await UntilListenedAsync($"{key}:items", 2);
        await producer.EnqueueAsync("one", TimeSpan.FromMilliseconds(300));
        await producer.EnqueueAsync("two", TimeSpan.FromMilliseconds(600));
        var due = await DueAsync(key, "two");

        var taken = await Task.WhenAll(waiting).WaitAsync(Deadline);

        Assert.True(await ServerMillisecondsAsync(key) >= due);
        Assert.All(taken, t => Assert.True(t.Found));
        Assert.Equal(["one", "two"], taken.Select(t => t.Item!.Value).Order());
    }

    [Fact]
    public async Task A_waiting_get_is_woken_for_an_item_due_before_the_one_it_waits_for()
    {
        var key = TestKeys.Unique();
        using var consumer = new RedisQueue<string>(_db, key) { RetryPause = Forever };
        using var producer = new RedisQueue<string>(_db, key);
        await producer.EnqueueAsync("in an hour", TimeSpan.FromHours(1));

        var waiting = consumer.DequeueAsync().AsTask();
        await UntilListenedAsync($"{key}:items", 1);
        await producer.EnqueueAsync("soon", DateTimeOffset.UtcNow.AddMilliseconds(300));

        Assert.Equal("soon", (await waiting.WaitAsync(Deadline)).Value);
        Assert.Equal(1, await consumer.DelayedCountAsync());
    }

    [Fact]
    public async Task A_bounded_queue_counts_delayed_items_against_its_bound()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique(), capacity: 2) { RetryPause = Forever };
        await q.EnqueueAsync("later", TimeSpan.FromHours(1));
        await q.EnqueueAsync("now");

        Assert.False(await q.TryEnqueueAsync("more", TimeSpan.Zero));
        Assert.False(q.TryEnqueue("more", TimeSpan.FromHours(1), TimeSpan.Zero));
        Assert.False(await q.TryEnqueueAsync("more", DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.Zero));
        Assert.Equal((2, 1, true), (q.Count, q.DelayedCount, q.IsFull));

        Assert.Equal("now", (await q.DequeueAsync()).Value);
        Assert.False(q.IsFull);
        Assert.True(q.TryEnqueue("more", DateTimeOffset.UtcNow.AddHours(1), TimeSpan.Zero));
        Assert.Equal((2, 2, true), (await q.CountAsync(), await q.DelayedCountAsync(), await q.IsFullAsync()));
        Assert.Equal((false, null), await q.TryDequeueAsync());
    }

    [Fact]
    public async Task Join_waits_for_a_delayed_item_until_it_is_acknowledged()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key) { RetryPause = Forever };
        await q.EnqueueAsync("later", TimeSpan.FromMilliseconds(300));

        // A join that listens has found work left: the delayed item.
        var joined = q.JoinAsync().AsTask();
        await UntilListenedAsync($"{key}:done", 1);
        var later = await q.DequeueAsync().AsTask().WaitAsync(Deadline);
        Assert.False(joined.IsCompleted);

        Assert.True(await q.AcknowledgeAsync(later));
        await joined.WaitAsync(Deadline);
    }

    [Fact]
    public async Task No_key_is_left_once_every_delayed_item_is_acknowledged()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key, capacity: 10) { RetryPause = Forever };
        await q.EnqueueAsync("a", TimeSpan.FromSeconds(2));
        await q.EnqueueAsync("b", TimeSpan.FromSeconds(2.4));
        await q.EnqueueAsync("c", DateTimeOffset.UtcNow.AddSeconds(2.2));
        await q.EnqueueAsync("d");
        Assert.Equal(3, await _db.KeyExistsAsync([key, .. HelperKeys(key)]));

        for (var i = 0; i < 4; i++)
        {
            Assert.True(await q.AcknowledgeAsync(await q.DequeueAsync().AsTask().WaitAsync(Deadline)));
        }

        Assert.Equal(0, await _db.KeyExistsAsync([key, .. HelperKeys(key)]));
    }

    [Fact]
    public async Task A_random_key_queue_deletes_its_delayed_items_on_dispose()
    {
        RedisKey key;
        using (var q = new RedisQueue<string>(_db))
        {
            key = q.Key;
            await q.EnqueueAsync("never", TimeSpan.FromHours(1));
            await q.EnqueueAsync("nor this", DateTimeOffset.UtcNow.AddHours(2));
            Assert.Equal(2, await _db.KeyExistsAsync([DerivedKey.For(key, "delayed"), DerivedKey.For(key, "delayed-sequence")]));
        }

        await Eventually.SucceedsAsync(async () => await _db.KeyExistsAsync([key, .. HelperKeys(key)]) > 0 ? throw new InvalidOperationException("keys left") : true, Deadline);
    }

    [Fact]
    public async Task Negative_delays_are_refused_and_past_due_times_are_due_at_once()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique());

        Assert.Equal("delay", Assert.Throws<ArgumentOutOfRangeException>(() => q.Enqueue("x", TimeSpan.FromTicks(-1))).ParamName);
        Assert.Equal("delay", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => q.EnqueueAsync("x", TimeSpan.FromMilliseconds(-1)).AsTask())).ParamName);
        Assert.Equal("delay", Assert.Throws<ArgumentOutOfRangeException>(() => q.TryEnqueue("x", TimeSpan.FromSeconds(-1), TimeSpan.Zero)).ParamName);
        Assert.Equal("delay", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => q.TryEnqueueAsync("x", TimeSpan.FromSeconds(-1), TimeSpan.Zero).AsTask())).ParamName);
        Assert.Equal("timeout", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => q.TryEnqueueAsync("x", TimeSpan.Zero, TimeSpan.FromSeconds(-2)).AsTask())).ParamName);
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => q.TryEnqueue("x", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-2))).ParamName);
        Assert.Equal(0, await q.CountAsync());

        q.Enqueue("an hour ago", DateTimeOffset.UtcNow.AddHours(-1));
        await q.EnqueueAsync("long ago", DateTimeOffset.MinValue);
        await q.EnqueueAsync("no delay", TimeSpan.Zero);
        Assert.Equal((0, 3), (q.DelayedCount, q.Count));

        var taken = new List<string>();
        while (q.TryDequeue(out var delivery))
        {
            taken.Add(delivery.Value);
        }

        Assert.Equal(["an hour ago", "long ago", "no delay"], taken);
    }

    private static RedisKey[] HelperKeys(RedisKey key) =>
        [DerivedKey.For(key, "in-flight"), DerivedKey.For(key, "visible-at"), DerivedKey.For(key, "dead-letter"), DerivedKey.For(key, "delayed"), DerivedKey.For(key, "delayed-sequence")];

    // The server time in ms at which the delayed item was due, as the queue stored it.
    private async Task<double> DueAsync(RedisKey key, string item) =>
        (await _db.SortedSetRangeByRankWithScoresAsync(DerivedKey.For(key, "delayed"))).Single(e => ((string)e.Element!).EndsWith(":" + item, StringComparison.Ordinal)).Score;

    // The clock of the server that holds the key.
    private async Task<double> ServerMillisecondsAsync(RedisKey key) =>
        (long)await _db.ScriptEvaluateAsync("local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)", [key]);

    // Subscriptions are counted on every node: on a cluster each client subscribes on one.
    private Task<bool> UntilListenedAsync(string channel, int subscribers) =>
        Eventually.SucceedsAsync(
            async () =>
            {
                var total = 0L;
                foreach (var endpoint in redis.Connection.GetEndPoints())
                {
                    var server = redis.Connection.GetServer(endpoint);
                    if (server.IsConnected)
                    {
                        total += (long)((RedisResult[])(await server.ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1];
                    }
                }

                return total >= subscribers ? true : throw new InvalidOperationException($"{total} of {subscribers} listen on {channel}.");
            },
            Deadline);
}

using Pottery.Testing.Redis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>
/// Waiting calls of every queue kind on the caller's database as given (a key prefix, a database
/// other than 0), woken by announcements only: every queue here retries after an hour, so a wait
/// that ends at all was ended by a wake-up. And no subscription outlives the calls that made it.
/// </summary>
public sealed class QueueWakeUpTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string Prefixed = "prefixed";
    private const string Database3 = "database 3";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    public static TheoryData<string, string> AllKinds => Combine(QueueKind.All);

    public static TheoryData<string, string> BoundedKinds => Combine(QueueKind.Bounded);

    public static TheoryData<string> Databases => [Prefixed, Database3];

    public static TheoryData<string> Kinds => [.. QueueKind.All];

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task Items_queued_before_a_get_are_taken_at_once(string kind, string where)
    {
        var (db, raw, prefix) = Target(where);
        var key = TestKeys.Unique();
        using var q = QueueKind.Open(kind, db, key);
        await q.EnqueueAsync("first");
        await q.EnqueueAsync("second");
        Assert.True(await raw.KeyExistsAsync($"{prefix}{key}"));
        Assert.False(await redis.Database.KeyExistsAsync(key));

        var one = await q.DequeueAsync().AsTask().WaitAsync(Deadline);
        var (found, other) = await q.TryDequeueAsync(Forever).AsTask().WaitAsync(Deadline);

        Assert.True(found);
        Assert.Equal(["first", "second"], new[] { one, other! }.Order());
        Assert.True(await q.IsEmptyAsync());
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task An_item_arriving_while_a_get_waits_wakes_it(string kind, string where)
    {
        var (db, _, prefix) = Target(where);
        var key = TestKeys.Unique();
        using var consumer = QueueKind.Open(kind, db, key);
        using var producer = QueueKind.Open(kind, db, key);

        var waiting = consumer.DequeueAsync().AsTask();
        await PubSub.UntilListenedAsync(redis.Database, $"{prefix}{key}:items");
        Assert.False(waiting.IsCompleted);
        await producer.EnqueueAsync("late");

        Assert.Equal("late", await waiting.WaitAsync(Deadline));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task A_timed_get_is_woken_by_an_item_before_its_deadline(string kind, string where)
    {
        var (db, _, prefix) = Target(where);
        var key = TestKeys.Unique();
        using var q = QueueKind.Open(kind, db, key);

        var waiting = q.TryDequeueAsync(Forever).AsTask();
        await PubSub.UntilListenedAsync(redis.Database, $"{prefix}{key}:items");
        q.Enqueue("in time");

        Assert.Equal((true, "in time"), await waiting.WaitAsync(Deadline));
    }

    [Theory]
    [MemberData(nameof(BoundedKinds))]
    public async Task A_put_waiting_for_space_is_woken_by_a_get(string kind, string where)
    {
        var (db, _, prefix) = Target(where);
        var key = TestKeys.Unique();
        using var q = QueueKind.Open(kind, db, key, capacity: 1);
        await q.EnqueueAsync("first");

        var blocked = q.EnqueueAsync("second").AsTask();
        var timed = q.TryEnqueueAsync("third", Forever).AsTask();
        await PubSub.UntilListenedAsync(redis.Database, $"{prefix}{key}:space");
        Assert.False(blocked.IsCompleted);
        Assert.False(timed.IsCompleted);

        Assert.Equal((true, "first"), await q.TryDequeueAsync());
        var (_, next) = await q.TryDequeueAsync(Forever).AsTask().WaitAsync(Deadline);
        await blocked.WaitAsync(Deadline);
        Assert.True(await timed.WaitAsync(Deadline));
        var (_, last) = await q.TryDequeueAsync(Forever).AsTask().WaitAsync(Deadline);
        Assert.Equal(["second", "third"], new[] { next!, last! }.Order());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Join_is_woken_by_the_last_acknowledgement(string where)
    {
        var (db, _, prefix) = Target(where);
        var key = TestKeys.Unique();
        using var q = QueueKind.Open(QueueKind.Fifo, db, key).Fifo!;
        await q.EnqueueAsync("job");
        var job = await q.DequeueAsync();
        Assert.Equal("job", job.Value);

        var joined = q.JoinAsync().AsTask();
        await PubSub.UntilListenedAsync(redis.Database, $"{prefix}{key}:done");
        Assert.False(joined.IsCompleted);
        Assert.True(await q.AcknowledgeAsync(job));

        await joined.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Disposed_bounded_lifo_queues_leave_no_subscription_after_a_timed_put_on_a_full_queue()
    {
        var keys = Enumerable.Range(0, 3).Select(i => TestKeys.Unique($"q{i}")).ToArray();
        foreach (var key in keys)
        {
            using var q = new RedisLifoQueue<int>(redis.Database, key, capacity: 1);
            await q.EnqueueAsync(1);
            Assert.False(await q.TryEnqueueAsync(2, TimeSpan.FromMilliseconds(100)));
        }

        await PubSub.NoneLeftAsync(redis.Database, keys);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task No_channel_stays_subscribed_once_no_call_waits(string kind)
    {
        var key = TestKeys.Unique();
        var q = QueueKind.Open(kind, redis.Database, key, capacity: 1);

        Assert.Equal((false, null), await q.TryDequeueAsync(TimeSpan.FromMilliseconds(50)));
        var waiting = q.DequeueAsync().AsTask();
        await PubSub.UntilListenedAsync(redis.Database, $"{key}:items");
        await q.EnqueueAsync("a");
        Assert.Equal("a", await waiting.WaitAsync(Deadline));
        using (var cancel = new CancellationTokenSource())
        {
            var cancelled = q.DequeueAsync(cancel.Token).AsTask();
            await PubSub.UntilListenedAsync(redis.Database, $"{key}:items");
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }

        if (q.Capacity > 0)
        {
            await q.EnqueueAsync("full");
            Assert.False(await q.TryEnqueueAsync("refused", TimeSpan.FromMilliseconds(50)));
            var blocked = q.EnqueueAsync("b").AsTask();
            await PubSub.UntilListenedAsync(redis.Database, $"{key}:space");
            Assert.Equal("full", await q.DequeueAsync());
            await blocked.WaitAsync(Deadline);
        }

        if (q.Fifo is { } fifo)
        {
            var joined = fifo.JoinAsync().AsTask();
            await PubSub.UntilListenedAsync(redis.Database, $"{key}:done");
            Assert.Equal("b", await q.DequeueAsync());
            await q.AcknowledgeAllAsync();
            await joined.WaitAsync(Deadline);
        }

        await PubSub.NoneLeftAsync(redis.Database, key);
        await q.DisposeAsync();
        await PubSub.NoneLeftAsync(redis.Database, key);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Cancelling_a_waiting_get_loses_no_item(string kind)
    {
        var key = TestKeys.Unique();
        using var q = QueueKind.Open(kind, redis.Database, key);
        using var cancel = new CancellationTokenSource();
        var waiting = q.DequeueAsync(cancel.Token).AsTask();
        await PubSub.UntilListenedAsync(redis.Database, $"{key}:items");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await q.EnqueueAsync("precious");

        Assert.True(q.TryDequeue(out var item));
        Assert.Equal("precious", item);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_cancelled_token_takes_and_stores_nothing(string kind)
    {
        using var q = QueueKind.Open(kind, redis.Database, TestKeys.Unique());
        await q.EnqueueAsync("kept");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => q.DequeueAsync(cancelled.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => q.TryDequeueAsync(Forever, cancelled.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => q.EnqueueAsync("dropped", cancelled.Token).AsTask());

        Assert.Equal(1, await q.CountAsync());
        Assert.Equal("kept", q.Dequeue());
    }

    [Theory]
    [MemberData(nameof(BoundedKinds))]
    public async Task Cancelling_a_put_waiting_for_space_stores_nothing(string kind, string where)
    {
        var (db, _, prefix) = Target(where);
        var key = TestKeys.Unique();
        using var q = QueueKind.Open(kind, db, key, capacity: 1);
        await q.EnqueueAsync("first");
        using var cancel = new CancellationTokenSource();
        var blocked = q.EnqueueAsync("second", cancel.Token).AsTask();
        await PubSub.UntilListenedAsync(redis.Database, $"{prefix}{key}:space");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);

        Assert.Equal("first", q.Dequeue());
        Assert.True(q.IsEmpty);
    }

    private static TheoryData<string, string> Combine(string[] kinds)
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in kinds)
        {
            data.Add(kind, Prefixed);
            data.Add(kind, Database3);
        }

        return data;
    }

    // The database the queue gets, the same data seen without a prefix, and the prefix.
    private (IDatabase Database, IDatabase Raw, string Prefix) Target(string where) => where switch
    {
        Prefixed => (redis.Database.WithKeyPrefix("tenant1:"), redis.Database, "tenant1:"),
        Database3 => (redis.Connection.GetDatabase(3), redis.Connection.GetDatabase(3), string.Empty),
        _ => throw new ArgumentOutOfRangeException(nameof(where), where, "Unknown database."),
    };
}

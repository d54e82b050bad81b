using System.Diagnostics;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>
/// Timed takes against a paused server (SIGSTOP) return by their deadline, on a connection that has
/// sent nothing yet too, and whatever a take they left behind removed comes back. Each test pauses
/// the class's server, so they run one after the other.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class QueueDeadlineTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Allowance = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Kinds => [.. QueueKind.All];

    public static TheoryData<string> BoundedLists => [QueueKind.Lifo, QueueKind.Priority];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_timed_get_on_a_cold_connection_returns_by_its_deadline_and_its_item_comes_back(string kind)
    {
        var key = TestKeys.Unique();
        await using (var producer = QueueKind.Open(kind, redis.Database, key, Capacity(kind), TimeSpan.FromSeconds(1)))
        {
            await producer.EnqueueAsync("precious");
        }

        await using var cold = await redis.Server.ConnectAsync();
        await using var consumer = QueueKind.Open(kind, cold.GetDatabase(), key, Capacity(kind), TimeSpan.FromSeconds(1));
        var (found, elapsed) = await TimedGetOnPausedServerAsync(consumer, cold, key);

        Assert.False(found);
        Assert.InRange(elapsed - Timeout, -Allowance, Allowance);
        await TheItemComesBackAsync(kind, key, "precious");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_timed_get_on_a_warm_connection_returns_by_its_deadline_and_its_item_comes_back(string kind)
    {
        var key = TestKeys.Unique();
        await using var consumer = QueueKind.Open(kind, redis.Database, key, Capacity(kind), TimeSpan.FromSeconds(1));
        Assert.Equal((false, null), await consumer.TryDequeueAsync());
        await consumer.EnqueueAsync("precious");
        var (found, elapsed) = await TimedGetOnPausedServerAsync(consumer, redis.Connection, key);

        Assert.False(found);
        Assert.InRange(elapsed - Timeout, -Allowance, Allowance);
        await TheItemComesBackAsync(kind, key, "precious");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_timed_get_waiting_on_an_empty_queue_returns_by_its_deadline_when_the_server_stops(string kind)
    {
        var key = TestKeys.Unique();
        await using var cold = await redis.Server.ConnectAsync();
        await using var consumer = QueueKind.Open(kind, cold.GetDatabase(), key, Capacity(kind), TimeSpan.FromSeconds(1));

        var clock = DeadlineClock.Start();
        var waiting = consumer.TryDequeueAsync(Timeout).AsTask();
        redis.Server.Pause();
        (bool Found, string? Item) result;
        TimeSpan elapsed;
        try
        {
            result = await waiting.WaitAsync(Deadline);
            elapsed = clock.Took;
        }
        finally
        {
            redis.Server.Resume();
        }

        output.WriteLine($"{kind}: returned after {elapsed.TotalMilliseconds:F0} ms (overshoot {(elapsed - Timeout).TotalMilliseconds:F0} ms; collections paused it {clock.CollectionPauses.TotalMilliseconds:F0} ms more)");
        Assert.False(result.Found);
        Assert.InRange(elapsed - Timeout, -Allowance, Allowance);
        await PubSub.NoneLeftAsync(redis.Database, key);
    }

    [Theory]
    [MemberData(nameof(BoundedLists))]
    public async Task What_a_late_take_removed_goes_back_only_when_there_is_space(string kind)
    {
        var key = TestKeys.Unique();
        await using var filler = QueueKind.Open(kind, redis.Database, key, capacity: 2, TimeSpan.FromSeconds(1));
        await filler.EnqueueAsync("a");
        await filler.EnqueueAsync("b");
        await using var consumerConnection = await redis.Server.ConnectAsync();
        await using var producerConnection = await redis.Server.ConnectAsync();
        await using var consumer = QueueKind.Open(kind, consumerConnection.GetDatabase(), key, capacity: 2, TimeSpan.FromSeconds(1));
        await using var producer = QueueKind.Open(kind, producerConnection.GetDatabase(), key, capacity: 2, TimeSpan.FromSeconds(1));
        using var watch = BoundWatch.Start(redis.Database, kind, key);

        Task<bool> stored;
        redis.Server.Pause();
        try
        {
            // The take goes out first and is left behind at its deadline; a put queues up behind it.
            var late = consumer.TryDequeueAsync(TimeSpan.FromMilliseconds(300)).AsTask();
            await SentAsync(consumerConnection);
            stored = producer.TryEnqueueAsync("c", Deadline).AsTask();
            await SentAsync(producerConnection);
            Assert.Equal((false, null), await late.WaitAsync(Deadline));
        }
        finally
        {
            redis.Server.Resume();
        }

        // Whichever ran first, the queue stays at its bound and every item is there in the end.
        await Eventually.SucceedsAsync(async () => await PubSubListenersAsync($"{key}:space") > 0 ? true : throw new InvalidOperationException("Nobody waits for space."), Deadline);
        var taken = new List<string>();
        while (taken.Count < 3)
        {
            var (found, item) = await filler.TryDequeueAsync(Deadline);
            Assert.True(found);
            taken.Add(item!);
        }

        Assert.True(await stored);
        Assert.Equal(["a", "b", "c"], taken.Order());
        Assert.InRange(await watch.StopAsync(), 0, 2);
    }

    private static int Capacity(string kind) => kind == QueueKind.Simple ? 0 : 5;

    // A command counts as sent once written to the socket; the paused server reads it on resuming.
    private static Task<bool> SentAsync(ConnectionMultiplexer connection) =>
        Eventually.SucceedsAsync(() => Task.FromResult(connection.GetCounters().Interactive.SentItemsAwaitingResponse > 0 ? true : throw new InvalidOperationException("Nothing sent yet.")), Deadline);

    private async Task<(bool Found, TimeSpan Elapsed)> TimedGetOnPausedServerAsync(AnyQueue consumer, ConnectionMultiplexer connection, RedisKey key)
    {
        redis.Server.Pause();
        try
        {
            var clock = DeadlineClock.Start();
            var (found, _) = await consumer.TryDequeueAsync(Timeout).AsTask().WaitAsync(Deadline);
            var elapsed = clock.Took;
            output.WriteLine($"{key}: returned after {elapsed.TotalMilliseconds:F0} ms (overshoot {(elapsed - Timeout).TotalMilliseconds:F0} ms; collections paused it {clock.CollectionPauses.TotalMilliseconds:F0} ms more); {connection.GetCounters().Interactive.SentItemsAwaitingResponse} command(s) left behind; pool {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} queued");
            return (found, elapsed);
        }
        finally
        {
            redis.Server.Resume();
        }
    }

    private async Task TheItemComesBackAsync(string kind, RedisKey key, string expected)
    {
        await using var q = QueueKind.Open(kind, redis.Database, key, Capacity(kind), TimeSpan.FromSeconds(1));
        var (found, item) = await q.TryDequeueAsync(Deadline);
        Assert.True(found);
        Assert.Equal(expected, item);
        if (q.Fifo is not null)
        {
            Assert.True(q.Deliveries.TryDequeue(out var delivery));
            Assert.Equal(1, delivery.DeliveryCount);
            Assert.True(await q.Fifo.AcknowledgeAsync(delivery));
            await q.Fifo.JoinAsync().AsTask().WaitAsync(Deadline);
        }
    }

    private async Task<long> PubSubListenersAsync(string channel) =>
        (long)((RedisResult[])(await redis.Database.ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1];
}

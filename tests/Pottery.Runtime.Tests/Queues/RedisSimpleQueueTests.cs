using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

public abstract class RedisSimpleQueueTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Simple_queue_is_first_in_first_out_like_python()
    {
        using var q = new RedisSimpleQueue<string>(_db, TestKeys.Unique());
        q.Enqueue("a");
        await q.EnqueueAsync("b");
        Assert.True(q.TryEnqueue("ünï", TimeSpan.Zero));

        Assert.Equal(3, q.Count);
        Assert.Equal(3, await q.CountAsync());
        Assert.False(q.IsEmpty);
        Assert.False(q.IsFull);
        Assert.False(await q.IsFullAsync());
        Assert.Equal(0, q.Capacity);
        Assert.Equal("a", q.Dequeue());
        Assert.Equal((true, "b"), await q.TryDequeueAsync(TimeSpan.FromSeconds(1)));
        Assert.True(q.TryDequeue(out var last));
        Assert.Equal("ünï", last);
        Assert.True(q.IsEmpty);
        Assert.True(await q.IsEmptyAsync());
    }

    [Fact]
    public async Task An_empty_queue_answers_false_at_once_without_a_timeout_or_at_its_deadline()
    {
        using var q = new RedisSimpleQueue<int>(_db, TestKeys.Unique());

        using (var log = CommandLog.Start(redis.Connection))
        {
            Assert.False(q.TryDequeue(out _));
            Assert.Equal(["LPOP"], log.Commands);
        }

        Assert.Equal((false, 0), await q.TryDequeueAsync());
        Assert.Equal((false, 0), await q.TryDequeueAsync(TimeSpan.FromMilliseconds(200)));
        Assert.False(q.TryDequeue(out _, TimeSpan.FromMilliseconds(50)));
        Assert.Throws<ArgumentOutOfRangeException>(() => q.TryDequeue(out _, TimeSpan.FromSeconds(-2)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => q.TryEnqueueAsync(1, TimeSpan.FromSeconds(-2)).AsTask());
    }

    [Fact]
    public async Task An_uncontended_enqueue_is_one_script_and_a_dequeue_one_pop()
    {
        using var q = new RedisSimpleQueue<string>(_db, TestKeys.Unique());
        await q.EnqueueAsync("warm");
        await q.DequeueAsync();

        using var log = CommandLog.Start(redis.Connection);
        await q.EnqueueAsync("job");
        Assert.Equal("job", await q.DequeueAsync());
        Assert.Collection(log.Commands, script => Assert.StartsWith("EVAL", script, StringComparison.Ordinal), pop => Assert.Equal("LPOP", pop));
    }

    [Fact]
    public async Task A_waiting_get_is_woken_by_a_put_from_another_connection()
    {
        var key = TestKeys.Unique();
        using var consumer = new RedisSimpleQueue<string>(_db, key) { RetryPause = TimeSpan.FromHours(1) };
        await using var otherConnection = await redis.ConnectAsync();
        using var producer = new RedisSimpleQueue<string>(otherConnection.GetDatabase(), key);

        var waiting = consumer.DequeueAsync().AsTask();
        await PubSub.UntilListenedAsync(_db, $"{key}:items");
        await producer.EnqueueAsync("wake up");

        Assert.Equal("wake up", await waiting.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Bad_input_is_reported()
    {
        var key = TestKeys.Unique();
        await _db.HashSetAsync(key, "f", "v");
        using var wrong = new RedisSimpleQueue<int>(_db, key);
        Assert.Equal("hash", (await Assert.ThrowsAsync<WrongTypeException>(() => wrong.EnqueueAsync(1).AsTask())).ActualType);

        var listKey = TestKeys.Unique();
        await _db.ListRightPushAsync(listKey, "not a number");
        using var bad = new RedisSimpleQueue<int>(_db, listKey);
        await Assert.ThrowsAsync<CodecException>(() => bad.TryDequeueAsync().AsTask());
        await Eventually.SucceedsAsync(async () => await _db.ListLengthAsync(listKey) == 1 ? true : throw new InvalidOperationException("The undecodable item is not back."), Deadline);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bad.EnqueueAsync(1, cancelled.Token).AsTask());
        Assert.Equal(["not a number"], (await _db.ListRangeAsync(listKey)).Select(v => (string?)v));
    }

    [Fact]
    public async Task A_killed_server_raises_RedisUnavailableException()
    {
        await using var down = await KilledServer.StartAsync();
        using var q = new RedisSimpleQueue<string>(down.Database, TestKeys.Unique());

        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.EnqueueAsync("x").AsTask());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.DequeueAsync().AsTask());
        Assert.Throws<RedisUnavailableException>(() => q.Count);
    }
}

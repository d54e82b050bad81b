using System.Collections.Concurrent;
using Pottery.Runtime.Tests.Queues;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery.Runtime.Tests.Messaging;

public abstract class RedisReliableTopicTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Every_group_receives_every_message_in_order()
    {
        using var topic = new RedisReliableTopic<int>(_db, TestKeys.Unique());
        Assert.True(await topic.CreateGroupAsync("billing", TopicPosition.NewMessages));
        Assert.True(topic.CreateGroup("audit", TopicPosition.NewMessages));
        Assert.False(await topic.CreateGroupAsync("audit", TopicPosition.Beginning));
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await topic.PublishAsync(i));
        }

        foreach (var group in new[] { "billing", "audit" })
        {
            await using var subscription = topic.Subscribe(group, "worker");
            var received = new List<(int Value, string Id, int Count)>();
            await foreach (var delivery in subscription.WithCancellation(new CancellationTokenSource(Deadline).Token))
            {
                received.Add((delivery.Value, delivery.Id, delivery.DeliveryCount));
                Assert.Equal(group, delivery.Group);
                Assert.True(await delivery.AcknowledgeAsync());
                if (received.Count == 50)
                {
                    break;
                }
            }

            Assert.Equal(Enumerable.Range(0, 50), received.Select(r => r.Value));
            Assert.Equal(ids, received.Select(r => r.Id));
            Assert.All(received, r => Assert.Equal(1, r.Count));
            Assert.Equal(0, await topic.PendingCountAsync(group));
        }

        Assert.Equal(50, topic.Count);
    }

    [Fact]
    public async Task Acknowledging_after_the_group_was_deleted_says_nothing_was_acknowledged()
    {
        using var topic = new RedisReliableTopic<int>(_db, TestKeys.Unique());
        await topic.CreateGroupAsync("billing", TopicPosition.NewMessages);
        await topic.PublishAsync(7);
        await using var subscription = topic.Subscribe("billing", "worker");
        var delivery = await subscription.ReceiveAsync(new CancellationTokenSource(Deadline).Token);
        Assert.Equal(7, delivery.Value);

        Assert.True(await topic.DeleteGroupAsync("billing"));
        Assert.False(await delivery.AcknowledgeAsync());
    }

    [Fact]
    public async Task Consumers_of_one_group_share_the_messages_without_duplicates()
    {
        using var topic = new RedisReliableTopic<int>(_db, TestKeys.Unique());
        await topic.CreateGroupAsync("workers", TopicPosition.Beginning);
        await using var first = topic.Subscribe("workers", "first", batchSize: 1);
        await using var second = topic.Subscribe("workers", "second", batchSize: 1);
        await topic.PublishAsync(-2);
        await topic.PublishAsync(-1);

        // A message a consumer holds unacknowledged is not handed to another.
        var one = await first.ReceiveAsync().AsTask().WaitAsync(Deadline);
        var other = second.Receive();
        Assert.Equal((-2, -1), (one.Value, other.Value));
        Assert.Equal(2, topic.PendingCount("workers"));
        Assert.True(one.Acknowledge());
        Assert.True(await other.AcknowledgeAsync());

        const int Messages = 200;
        var received = new ConcurrentQueue<int>();
        var total = 0;
        using var done = new CancellationTokenSource(Deadline);
        async Task ConsumeAsync(ReliableTopicSubscription<int> subscription)
        {
            try
            {
                await foreach (var delivery in subscription.WithCancellation(done.Token))
                {
                    received.Enqueue(delivery.Value);
                    await delivery.AcknowledgeAsync();
                    if (Interlocked.Increment(ref total) == Messages)
                    {
                        await done.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }
        }

        var consumers = Task.WhenAll(ConsumeAsync(first), ConsumeAsync(second));
        for (var i = 0; i < Messages; i++)
        {
            await topic.PublishAsync(i);
        }

        await consumers.WaitAsync(Deadline);
        Assert.Equal(Enumerable.Range(0, Messages), received.Order());
        Assert.Equal(0, await topic.PendingCountAsync("workers"));
    }

    [Fact]
    public async Task A_delivery_nobody_acknowledges_goes_to_another_consumer_after_the_visibility_timeout()
    {
        using var topic = new RedisReliableTopic<string>(_db, TestKeys.Unique(), visibilityTimeout: TimeSpan.FromMilliseconds(300)) { RetryPause = Forever };
        await topic.CreateGroupAsync("workers", TopicPosition.Beginning);
        var id = await topic.PublishAsync("job");
        var crashed = topic.Subscribe("workers", "crashed", batchSize: 1);
        var lost = await crashed.ReceiveAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(("job", id, 1), (lost.Value, lost.Id, lost.DeliveryCount));
        await crashed.DisposeAsync();

        // No wake-up comes: the waiting consumer learns from its take when the delivery may be claimed.
        await using var survivor = topic.Subscribe("workers", "survivor");
        var again = await survivor.ReceiveAsync().AsTask().WaitAsync(Deadline);

        Assert.Equal(("job", id, 2), (again.Value, again.Id, again.DeliveryCount));
        Assert.True(await again.AcknowledgeAsync());
        Assert.False(await lost.AcknowledgeAsync());
        Assert.Equal(0, await topic.PendingCountAsync("workers"));
    }

    [Fact]
    public async Task A_message_delivered_the_most_times_goes_to_the_dead_letter_stream()
    {
        using var topic = new RedisReliableTopic<string>(_db, TestKeys.Unique(), visibilityTimeout: TimeSpan.FromMilliseconds(50), maxDeliveries: 1);
        await topic.CreateGroupAsync("workers", TopicPosition.Beginning);
        var id = await topic.PublishAsync("poison");
        await using (var crashed = topic.Subscribe("workers", "crashed"))
        {
            Assert.Equal("poison", (await crashed.ReceiveAsync().AsTask().WaitAsync(Deadline)).Value);
        }

        await using var survivor = topic.Subscribe("workers", "survivor");
        using var stop = new CancellationTokenSource();
        var waiting = survivor.ReceiveAsync(stop.Token).AsTask();
        using var deadLetters = new RedisReliableTopic<string>(_db, topic.DeadLetterKey);
        await Eventually.SucceedsAsync(async () => await deadLetters.CountAsync() == 1 ? true : throw new InvalidOperationException("Not dead-lettered yet."), Deadline);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        var dead = await deadLetters.ReadAsync(TopicPosition.Beginning).ToListAsync();
        Assert.Equal("poison", Assert.Single(dead).Value);
        var entry = (await _db.StreamRangeAsync(topic.DeadLetterKey)).Single();
        Assert.Equal((id, "workers"), ((string?)entry["topic-id"], (string?)entry["group"]));
        Assert.Equal(0, await topic.PendingCountAsync("workers"));
    }

    [Fact]
    public async Task Groups_and_reads_start_at_the_position_given()
    {
        using var topic = new RedisReliableTopic<int>(_db, TestKeys.Unique(), maxAge: TimeSpan.FromHours(1));
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await topic.PublishAsync(i));
        }

        await topic.CreateGroupAsync("all", TopicPosition.Beginning);
        await topic.CreateGroupAsync("late", TopicPosition.After(ids[6]));
        await topic.CreateGroupAsync("new", TopicPosition.NewMessages);
        ids.Add(await topic.PublishAsync(10));

        Assert.Equal(Enumerable.Range(0, 11), await ReceiveAsync(topic, "all", 11));
        Assert.Equal(new[] { 7, 8, 9, 10 }, await ReceiveAsync(topic, "late", 4));
        Assert.Equal(new[] { 10 }, await ReceiveAsync(topic, "new", 1));

        Assert.Equal(Enumerable.Range(0, 11), (await topic.ReadAsync(TopicPosition.Beginning).ToListAsync()).Select(m => m.Value));
        Assert.Equal(ids, (await topic.ReadAsync(TopicPosition.Beginning).ToListAsync()).Select(m => m.Id));
        Assert.Equal(new[] { 5, 6, 7, 8, 9, 10 }, (await topic.ReadAsync(TopicPosition.After(ids[4])).ToListAsync()).Select(m => m.Value));
        Assert.Empty(await topic.ReadAsync(TopicPosition.NewMessages).ToListAsync());

        // Since a time: every message stamped in that millisecond or later.
        var third = long.Parse(ids[3].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        var since = await topic.ReadAsync(TopicPosition.Since(DateTimeOffset.FromUnixTimeMilliseconds(third))).ToListAsync();
        Assert.Contains(3, since.Select(m => m.Value));
        Assert.Equal(10, since[^1].Value);
        Assert.All(since, m => Assert.True(long.Parse(m.Id.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture) >= third));
        Assert.Equal(11, await topic.CountAsync());

        // A following read waits for what comes next.
        using var stop = new CancellationTokenSource(Deadline);
        await using var following = topic.ReadAsync(TopicPosition.After(ids[^1]), follow: true, stop.Token).GetAsyncEnumerator();
        var next = following.MoveNextAsync().AsTask();
        await topic.PublishAsync(11);
        Assert.True(await next.WaitAsync(Deadline));
        Assert.Equal(11, following.Current.Value);
    }

    [Fact]
    public async Task A_waiting_consumer_is_woken_by_a_publish_under_a_key_prefix()
    {
        // The prefix carries the hash tag, so on a cluster the stream and its dead-letter stream share a slot.
        var prefix = "{" + Guid.NewGuid().ToString("N") + "}:";
        var prefixed = _db.WithKeyPrefix(prefix);
        var key = TestKeys.Unique();
        using var topic = new RedisReliableTopic<string>(prefixed, key) { RetryPause = Forever };
        await topic.CreateGroupAsync("workers", TopicPosition.NewMessages);
        await using var subscription = topic.Subscribe("workers", "waiting");
        var waiting = subscription.ReceiveAsync().AsTask();
        if (redis.Kind == ServerKind.Standalone)
        {
            // Then the message can only reach it by the wake-up, on the channel named with the prefix.
            await PubSub.UntilListenedAsync(_db, $"{prefix}{key}:published");
        }

        using var publisher = new RedisReliableTopic<string>(prefixed, key);
        await publisher.PublishAsync("wake up");

        Assert.Equal("wake up", (await waiting.WaitAsync(Deadline)).Value);
        Assert.False(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Trimming_by_length_keeps_about_the_most_recent_messages()
    {
        using var topic = new RedisReliableTopic<int>(_db, TestKeys.Unique(), maxLength: 10);
        for (var i = 0; i < 500; i++)
        {
            await topic.PublishAsync(i);
        }

        // Redis trims whole stream nodes (100 entries by default).
        var count = await topic.CountAsync();
        Assert.InRange(count, 10, 110);
        var kept = (await topic.ReadAsync(TopicPosition.Beginning).ToListAsync()).Select(m => m.Value);
        Assert.Equal(Enumerable.Range((int)(500 - count), (int)count), kept);
    }

    [Fact]
    public async Task Cancelling_or_disposing_ends_a_waiting_subscription_at_once()
    {
        using var topic = new RedisReliableTopic<int>(_db, TestKeys.Unique()) { RetryPause = Forever };
        await topic.CreateGroupAsync("workers", TopicPosition.NewMessages);
        await using var subscription = topic.Subscribe("workers", "waiting");

        using var cancel = new CancellationTokenSource();
        var enumerating = Task.Run(async () =>
        {
            await foreach (var _ in subscription.WithCancellation(cancel.Token))
            {
            }
        });
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => enumerating.WaitAsync(Deadline));

        var ended = Task.Run(async () =>
        {
            var seen = 0;
            await foreach (var _ in subscription)
            {
                seen++;
            }

            return seen;
        });
        var receiving = subscription.ReceiveAsync().AsTask();
        await subscription.DisposeAsync();
        Assert.Equal(0, await ended.WaitAsync(Deadline));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => receiving.WaitAsync(Deadline));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => subscription.ReceiveAsync().AsTask());

        using var stopReading = new CancellationTokenSource();
        var reading = Task.Run(async () => await topic.ReadAsync(TopicPosition.NewMessages, follow: true, stopReading.Token).ToListAsync());
        await stopReading.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Entries_the_codec_cannot_read_are_codec_errors_and_stay_pending()
    {
        var key = TestKeys.Unique();
        using var topic = new RedisReliableTopic<int>(_db, key);
        await topic.CreateGroupAsync("workers", TopicPosition.Beginning);
        await _db.StreamAddAsync(key, "message", "not a number");
        await _db.StreamAddAsync(key, "other", "field");
        await topic.PublishAsync(42);

        var error = await Assert.ThrowsAsync<CodecException>(async () => await topic.ReadAsync(TopicPosition.Beginning).ToListAsync());
        Assert.Contains(key.ToString(), error.Message, StringComparison.Ordinal);

        await using var subscription = topic.Subscribe("workers", "worker");
        await Assert.ThrowsAsync<CodecException>(() => subscription.ReceiveAsync().AsTask().WaitAsync(Deadline));
        await Assert.ThrowsAsync<CodecException>(() => subscription.ReceiveAsync().AsTask().WaitAsync(Deadline));
        var good = await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(42, good.Value);
        Assert.True(await good.AcknowledgeAsync());
        Assert.Equal(2, await topic.PendingCountAsync("workers"));
    }

    [Fact]
    public async Task Bad_arguments_wrong_types_missing_groups_and_disposal_are_refused_clearly()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReliableTopic<int>(_db, TestKeys.Unique(), maxLength: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReliableTopic<int>(_db, TestKeys.Unique(), maxAge: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReliableTopic<int>(_db, TestKeys.Unique(), visibilityTimeout: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReliableTopic<int>(_db, TestKeys.Unique(), maxDeliveries: -1));
        Assert.Throws<ArgumentException>(() => TopicPosition.After("12-x"));
        Assert.Throws<ArgumentException>(() => TopicPosition.After(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => TopicPosition.Since(DateTimeOffset.UnixEpoch.AddDays(-1)));
        Assert.Equal("12-3", TopicPosition.After("12-3").AfterId);

        var key = TestKeys.Unique();
        var topic = new RedisReliableTopic<int>(_db, key);
        Assert.Throws<ArgumentException>(() => topic.Subscribe("", "worker"));
        Assert.Throws<ArgumentException>(() => topic.Subscribe("workers", ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => topic.Subscribe("workers", "worker", batchSize: 0));
        await Assert.ThrowsAsync<ArgumentException>(() => topic.CreateGroupAsync("", TopicPosition.Beginning).AsTask());

        await using (var orphan = topic.Subscribe("missing", "worker"))
        {
            var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => orphan.ReceiveAsync().AsTask().WaitAsync(Deadline));
            Assert.Contains("CreateGroupAsync", missing.Message, StringComparison.Ordinal);
        }

        await _db.StringSetAsync(key, "a string");
        var wrong = await Assert.ThrowsAsync<WrongTypeException>(() => topic.PublishAsync(1).AsTask());
        Assert.Equal(("stream", "string"), (wrong.ExpectedType, wrong.ActualType));
        await Assert.ThrowsAsync<WrongTypeException>(() => topic.CountAsync().AsTask());

        await topic.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => topic.Publish(1));
        Assert.Throws<ObjectDisposedException>(() => topic.Subscribe("workers", "worker"));

        using var random = new RedisReliableTopic<int>(_db);
        await random.PublishAsync(1);
        Assert.True(await _db.KeyExistsAsync(random.Key));
        await random.DisposeAsync();
        Assert.False(await _db.KeyExistsAsync(random.Key));
    }

    private static async Task<List<int>> ReceiveAsync(RedisReliableTopic<int> topic, string group, int count)
    {
        await using var subscription = topic.Subscribe(group, "reader");
        var values = new List<int>();
        while (values.Count < count)
        {
            var delivery = await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline);
            values.Add(delivery.Value);
            await delivery.AcknowledgeAsync();
        }

        return values;
    }
}

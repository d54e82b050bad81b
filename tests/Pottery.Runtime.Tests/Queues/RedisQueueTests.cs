using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

public abstract class RedisQueueTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task A_producer_and_a_consumer_exchange_a_thousand_items_in_order()
    {
        var key = TestKeys.Unique();
        using var producerQueue = new RedisQueue<int>(_db, key);
        using var consumerQueue = new RedisQueue<int>(_db, key);

        var consumer = Task.Run(async () =>
        {
            var received = new List<int>();
            for (var i = 0; i < 1_000; i++)
            {
                var delivery = await consumerQueue.DequeueAsync();
                Assert.Equal(1, delivery.DeliveryCount);
                received.Add(delivery.Value);
                Assert.True(await consumerQueue.AcknowledgeAsync(delivery));
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
        Assert.Equal(0, consumerQueue.InFlightCount);
    }

    [Fact]
    public async Task An_acknowledgement_finishes_exactly_its_delivery()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique());
        await q.EnqueueAsync("first");
        await q.EnqueueAsync("second");
        var first = await q.DequeueAsync();
        var second = q.Dequeue();
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, await q.InFlightCountAsync());

        Assert.True(q.Acknowledge(second));
        Assert.False(await q.AcknowledgeAsync(second));
        Assert.Equal(1, q.InFlightCount);
        Assert.Equal(("first", 1), (first.Value, first.DeliveryCount));
        Assert.True(await q.AcknowledgeAsync(first));
        q.Join();
    }

    [Fact]
    public async Task A_bounded_queue_counts_waiting_items_only()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique(), capacity: 1);
        await q.EnqueueAsync("first");
        Assert.False(await q.TryEnqueueAsync("second", TimeSpan.Zero));

        Assert.Equal("first", (await q.DequeueAsync()).Value);
        Assert.True(await q.TryEnqueueAsync("second", TimeSpan.Zero));
        Assert.Equal(1, q.Count);
        Assert.Equal(1, q.InFlightCount);
        Assert.True(q.IsFull);
    }

    [Fact]
    public async Task An_unacknowledged_delivery_is_handed_out_again_after_the_visibility_timeout()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key, visibilityTimeout: TimeSpan.FromMilliseconds(200)) { RetryPause = Forever };
        await q.EnqueueAsync("job");
        var lost = await q.DequeueAsync();

        // The wait ends when the delivery may be handed out again, without a wake-up: the take says when.
        var again = await q.DequeueAsync().AsTask().WaitAsync(Deadline);

        Assert.Equal(("job", lost.Id, 2), (again.Value, again.Id, again.DeliveryCount));
        Assert.False(await q.AcknowledgeAsync(lost));
        Assert.True(await q.AcknowledgeAsync(again));
        await q.EnqueueAsync("later");
        var later = await q.DequeueAsync();
        Assert.Equal(("later", 1), (later.Value, later.DeliveryCount));
        Assert.True(q.Acknowledge(later));
        await q.JoinAsync().AsTask().WaitAsync(Deadline);
    }

    [Fact]
    public async Task An_expired_delivery_acknowledged_before_anyone_took_it_again_is_finished()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique(), visibilityTimeout: TimeSpan.FromMilliseconds(1));
        await q.EnqueueAsync("slow");
        var slow = await q.DequeueAsync();
        await Eventually.SucceedsAsync(async () => await Expired(q.Key) ? true : throw new InvalidOperationException("Not expired yet."), Deadline);

        Assert.True(await q.AcknowledgeAsync(slow));
        Assert.Equal((false, null), await q.TryDequeueAsync());
    }

    [Fact]
    public async Task An_abandoned_delivery_goes_first_and_counts()
    {
        using var q = new RedisQueue<string>(_db, TestKeys.Unique());
        await q.EnqueueAsync("hard");
        await q.EnqueueAsync("easy");
        var hard = await q.DequeueAsync();

        Assert.True(await q.AbandonAsync(hard));
        var again = q.Dequeue();
        Assert.Equal(("hard", 2), (again.Value, again.DeliveryCount));
        Assert.False(q.Abandon(hard));
        Assert.True(q.Acknowledge(again));
        Assert.Equal("easy", q.Dequeue().Value);
    }

    [Fact]
    public async Task Extending_a_delivery_moves_its_visibility_timeout()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key, visibilityTimeout: TimeSpan.FromSeconds(30));
        await q.EnqueueAsync("long job");
        var job = await q.DequeueAsync();
        var before = await VisibleAt(key, job);

        await Eventually.SucceedsAsync(async () => await ServerMilliseconds() > before - 30_000 + 1 ? true : throw new InvalidOperationException("Same millisecond."), Deadline);
        Assert.True(await q.ExtendAsync(job));
        Assert.True(await VisibleAt(key, job) > before);
        Assert.True(q.Acknowledge(job));
        Assert.False(q.Extend(job));
    }

    [Fact]
    public async Task An_item_goes_to_the_dead_letter_list_after_its_last_allowed_delivery()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<string>(_db, key, maxDeliveries: 2);
        await q.EnqueueAsync("poison");
        await q.EnqueueAsync("fine");

        Assert.True(await q.AbandonAsync(await q.DequeueAsync()));
        var second = await q.DequeueAsync();
        Assert.Equal(("poison", 2), (second.Value, second.DeliveryCount));
        Assert.True(await q.AbandonAsync(second));

        Assert.Equal("fine", q.Dequeue().Value);
        Assert.Equal(["poison"], (await _db.ListRangeAsync(q.DeadLetterKey)).Select(v => (string?)v));
        Assert.Equal(DerivedKey.For(key, "dead-letter"), q.DeadLetterKey);
        Assert.Equal(1, q.InFlightCount);
    }

    [Fact]
    public async Task Dead_letters_may_go_to_a_list_of_ones_choice_in_the_queue_slot()
    {
        var key = TestKeys.Unique("{jobs}");
        using var q = new RedisQueue<string>(_db, key, maxDeliveries: 1, deadLetterKey: "{jobs}:parked");
        await q.EnqueueAsync("poison");
        Assert.True(await q.AbandonAsync(await q.DequeueAsync()));

        Assert.Equal((false, null), await q.TryDequeueAsync());
        Assert.Equal(["poison"], (await _db.ListRangeAsync("{jobs}:parked")).Select(v => (string?)v));
        await q.JoinAsync().AsTask().WaitAsync(Deadline);
        Assert.Throws<ArgumentException>(() => new RedisQueue<string>(_db, key, deadLetterKey: "elsewhere"));
        await _db.KeyDeleteAsync("{jobs}:parked");
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisQueue<int>(_db, TestKeys.Unique(), visibilityTimeout: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisQueue<int>(_db, TestKeys.Unique(), visibilityTimeout: TimeSpan.FromDays(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisQueue<int>(_db, TestKeys.Unique(), maxDeliveries: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisQueue<int>(_db, TestKeys.Unique(), capacity: -1));
    }

    [Fact]
    public async Task A_cancelled_waiting_get_leaves_nothing_in_flight()
    {
        var key = TestKeys.Unique();
        using var q = QueueKind.Open(QueueKind.Fifo, _db, key).Fifo!;
        using var cancel = new CancellationTokenSource();
        var waiting = q.DequeueAsync(cancel.Token).AsTask();
        await PubSub.UntilListenedAsync(_db, $"{key}:items");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await q.EnqueueAsync("precious");
        Assert.Equal(0, q.InFlightCount);
        Assert.Equal(1, q.Count);
        Assert.Equal(("precious", 1), (q.Dequeue().Value, 1));
        Assert.Equal(1, q.InFlightCount);
    }

    [Fact]
    public async Task Join_waits_for_the_last_acknowledgement()
    {
        var key = TestKeys.Unique();
        using var q = new RedisQueue<int>(_db, key) { RetryPause = Forever };
        await q.EnqueueAsync(1);
        await q.EnqueueAsync(2);
        var one = await q.DequeueAsync();
        var two = await q.DequeueAsync();

        var joined = q.JoinAsync().AsTask();
        await q.AcknowledgeAsync(one);
        Assert.False(joined.IsCompleted);

        await q.AcknowledgeAsync(two);
        await joined.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Queues_whose_keys_share_a_hash_tag_share_no_helper_key()
    {
        // Derived from the tag alone, these shared their deliveries in flight and their unfinished work.
        using var emails = new RedisQueue<string>(_db, "app:{t1}:emails", visibilityTimeout: TimeSpan.FromMilliseconds(1));
        using var sms = new RedisQueue<string>(_db, "app:{t1}:sms") { RetryPause = Forever };
        using var plain = new RedisQueue<string>(_db, "jobs", visibilityTimeout: TimeSpan.FromMilliseconds(1));
        using var tagged = new RedisQueue<string>(_db, "{jobs}") { RetryPause = Forever };
        try
        {
            await emails.EnqueueAsync("email");
            await sms.EnqueueAsync("sms");
            await plain.EnqueueAsync("plain");
            await tagged.EnqueueAsync("tagged");
            var email = await emails.DequeueAsync();
            var text = await plain.DequeueAsync();

            var smsJoin = sms.JoinAsync().AsTask();
            var taggedJoin = tagged.JoinAsync().AsTask();
            Assert.Equal(("sms", 1), (sms.Dequeue().Value, sms.InFlightCount));
            Assert.Equal(("tagged", 1), (tagged.Dequeue().Value, tagged.InFlightCount));
            Assert.Equal((false, null), await sms.TryDequeueAsync());
            Assert.Equal((false, null), await tagged.TryDequeueAsync());
            Assert.False(smsJoin.IsCompleted || taggedJoin.IsCompleted);
            Assert.True(await emails.AcknowledgeAsync(email));
            Assert.True(await plain.AcknowledgeAsync(text));
            Assert.Equal((0, 0), (await emails.InFlightCountAsync(), await plain.InFlightCountAsync()));
            Assert.Equal((1, 1), (await sms.InFlightCountAsync(), await tagged.InFlightCountAsync()));
        }
        finally
        {
            // One key at a time: on a cluster they are in several slots.
            foreach (var key in new[] { emails, sms, plain, tagged }.SelectMany(q => HelperKeys(q.Key)).Concat(["app:{t1}:emails", "app:{t1}:sms", "jobs", "{jobs}"]))
            {
                await _db.KeyDeleteAsync(key);
            }
        }
    }

    [Fact]
    public async Task A_random_key_queue_deletes_its_helper_keys_on_dispose()
    {
        RedisKey key;
        using (var q = new RedisQueue<string>(_db, maxDeliveries: 1))
        {
            key = q.Key;
            await q.EnqueueAsync("job");
            await q.EnqueueAsync("dead");
            await q.AbandonAsync(await q.DequeueAsync());
            await q.DequeueAsync();
            Assert.Equal(3, await _db.KeyExistsAsync(HelperKeys(key)));
        }

        await Eventually.SucceedsAsync(async () => await _db.KeyExistsAsync([key, .. HelperKeys(key)]) > 0 ? throw new InvalidOperationException("helper keys left") : true, Deadline);
    }

    [Fact]
    public async Task An_entry_that_is_no_envelope_is_reported_and_left_where_it_is()
    {
        var key = TestKeys.Unique();
        await _db.ListRightPushAsync(key, "written by someone else");
        using var q = new RedisQueue<string>(_db, key);

        var error = await Assert.ThrowsAsync<CodecException>(() => q.TryDequeueAsync().AsTask());
        Assert.Contains("envelope", error.Message, StringComparison.Ordinal);
        Assert.Equal(["written by someone else"], (await _db.ListRangeAsync(key)).Select(v => (string?)v));
    }

    [Fact]
    public async Task An_undecodable_item_stays_in_flight_and_reaches_the_dead_letter_list()
    {
        var key = TestKeys.Unique();
        using (var strings = new RedisQueue<string>(_db, key))
        {
            await strings.EnqueueAsync("not a number");
        }

        using var q = new RedisQueue<int>(_db, key, maxDeliveries: 1, visibilityTimeout: TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<CodecException>(() => q.DequeueAsync().AsTask());
        Assert.Equal(1, q.InFlightCount);

        await Eventually.SucceedsAsync(async () => await Expired(q.Key) ? true : throw new InvalidOperationException("Not expired yet."), Deadline);
        Assert.Equal((false, (QueueDelivery<int>?)null), await q.TryDequeueAsync());
        Assert.Equal(["not a number"], (await _db.ListRangeAsync(q.DeadLetterKey)).Select(v => (string?)v));
        await _db.KeyDeleteAsync(q.DeadLetterKey);
    }

    [Fact]
    public async Task A_disposed_queue_refuses_every_call()
    {
        var q = new RedisQueue<string>(_db, TestKeys.Unique());
        await q.EnqueueAsync("job");
        var job = await q.DequeueAsync();
        await q.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.EnqueueAsync("x").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.TryDequeueAsync().AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.AcknowledgeAsync(job).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.JoinAsync().AsTask());
        Assert.Throws<ObjectDisposedException>(() => q.Count);
        Assert.Throws<ObjectDisposedException>(() => q.InFlightCount);
        Assert.Throws<ObjectDisposedException>(() => q.Extend(job));
        q.Dispose();
    }

    [Fact]
    public async Task A_killed_server_raises_RedisUnavailableException()
    {
        await using var down = await KilledServer.StartAsync();
        using var q = new RedisQueue<string>(down.Database, TestKeys.Unique());

        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.EnqueueAsync("x").AsTask());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.TryDequeueAsync().AsTask());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.DequeueAsync().AsTask());
        await Assert.ThrowsAsync<RedisUnavailableException>(() => q.JoinAsync().AsTask());
        Assert.Throws<RedisUnavailableException>(() => q.Join());
        Assert.Throws<RedisUnavailableException>(() => q.InFlightCount);
    }

    private static RedisKey[] HelperKeys(RedisKey key) => [DerivedKey.For(key, "in-flight"), DerivedKey.For(key, "visible-at"), DerivedKey.For(key, "dead-letter")];

    private async Task<bool> Expired(RedisKey key) =>
        (await _db.SortedSetRangeByRankWithScoresAsync(DerivedKey.For(key, "visible-at"), 0, 0)).Single().Score < await ServerMilliseconds();

    private async Task<double> VisibleAt(RedisKey key, QueueDelivery<string> delivery) =>
        (await _db.SortedSetScoreAsync(DerivedKey.For(key, "visible-at"), $"{delivery.Id}:{delivery.DeliveryCount}"))!.Value;

    private async Task<double> ServerMilliseconds()
    {
        var now = await redis.Connection.GetServer(redis.Endpoint).TimeAsync();
        return (now - DateTime.UnixEpoch).TotalMilliseconds;
    }
}

using Pottery.Runtime.Tests.Queues;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery.Runtime.Tests.Messaging;

public abstract class RedisTopicTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task A_subscriber_in_another_client_receives_every_message_in_order()
    {
        var name = TestKeys.Unique("topic").ToString();
        await using var other = await redis.ConnectAsync();
        await using var subscription = await new RedisTopic<int>(other.GetDatabase(), name).SubscribeAsync();
        var topic = new RedisTopic<int>(_db, name);

        var received = new List<int>();
        var reading = Task.Run(async () =>
        {
            await foreach (var message in subscription)
            {
                received.Add(message);
                if (received.Count == 100)
                {
                    return;
                }
            }
        });
        for (var i = 0; i < 100; i++)
        {
            await topic.PublishAsync(i);
        }

        await reading.WaitAsync(Deadline);
        Assert.True(Enumerable.Range(0, 100).SequenceEqual(received), string.Join(",", received));
    }

    [Fact]
    public async Task A_subscription_made_while_the_last_one_ends_still_receives()
    {
        // One client's subscriptions to a channel share one subscription on the server: the last one's
        // unsubscribe and a new one's subscribe must not leave the new one on a channel the server dropped.
        var topic = new RedisTopic<int>(_db, TestKeys.Unique("topic").ToString());
        var ending = await topic.SubscribeAsync();
        for (var round = 0; round < 200; round++)
        {
            using var start = new Barrier(2);
            var end = Task.Run(() => { start.SignalAndWait(); ending.Dispose(); });
            var subscribe = Task.Run(async () => { start.SignalAndWait(); return await topic.SubscribeAsync(); });
            await end;
            var subscription = await subscribe;

            await topic.PublishAsync(round);
            int? heard = null;
            using (var wait = new CancellationTokenSource(Deadline))
            {
                try
                {
                    await foreach (var message in subscription.WithCancellation(wait.Token))
                    {
                        heard = message;
                        break;
                    }
                }
                catch (OperationCanceledException) when (wait.IsCancellationRequested)
                {
                    // Heard nothing: asserted below.
                }
            }

            Assert.True(heard == round, $"round {round}: the subscription heard {heard?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}");

            ending = subscription;
        }

        await ending.DisposeAsync();
    }

    [Fact]
    public async Task Key_prefixes_keep_apps_apart_and_disposal_unsubscribes()
    {
        var name = TestKeys.Unique("topic").ToString();
        var blue = new RedisTopic<string>(_db.WithKeyPrefix("blue:"), name);
        var green = new RedisTopic<string>(_db.WithKeyPrefix("green:"), name);
        var subscription = await blue.SubscribeAsync();

        Assert.Equal(0, await green.PublishAsync("for green"));
        Assert.Equal(1, await blue.PublishAsync("for blue"));
        await using (var messages = subscription.GetAsyncEnumerator())
        {
            Assert.True(await messages.MoveNextAsync().AsTask().WaitAsync(Deadline));
            Assert.Equal("for blue", messages.Current);
        }

        await subscription.DisposeAsync();
        Assert.Equal(0, blue.Publish("nobody listens"));
        if (redis.Kind != ServerKind.Cluster)
        {
            await PubSub.NoneLeftAsync(_db, name);
        }
    }

    [Fact]
    public async Task A_message_the_codec_cannot_read_is_a_codec_error_and_cancellation_ends_the_enumeration()
    {
        var name = TestKeys.Unique("topic").ToString();
        var topic = new RedisTopic<int>(_db, name);
        await using var subscription = topic.Subscribe();
        // On Redis Cluster the topic's channel is sharded.
        var channel = redis.Kind == ServerKind.Cluster ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
        await _db.PublishAsync(channel, "not a number");

        var error = await Assert.ThrowsAsync<CodecException>(async () =>
        {
            await foreach (var _ in subscription.WithCancellation(new CancellationTokenSource(Deadline).Token))
            {
            }
        });
        Assert.Contains(name, error.Message, StringComparison.Ordinal);

        using var cancel = new CancellationTokenSource();
        var waiting = Task.Run(async () =>
        {
            await foreach (var _ in subscription.WithCancellation(cancel.Token))
            {
            }
        });
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        Assert.Throws<ArgumentException>(() => new RedisTopic<int>(_db, ""));
    }
}

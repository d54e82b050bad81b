using System.Diagnostics;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

public sealed class TopicTelemetryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_topic_counts_the_messages_published_and_received_by_topic_name()
    {
        using var telemetry = new TelemetryCollector();
        var name = TestKeys.Unique("topic").ToString();
        var topic = new RedisTopic<string>(redis.Database, name);
        await using var subscription = await topic.SubscribeAsync();

        await topic.PublishAsync("a");
        await topic.PublishAsync("b");
        var received = new List<string>();
        await foreach (var message in subscription.WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            received.Add(message);
            if (received.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["a", "b"], received);
        var published = telemetry.Tagged("pottery.topic.published", "pottery.topic.name", name);
        Assert.Equal(("{message}", 2d), (Assert.Single(published.Select(m => m.Unit).Distinct()), published.Sum(m => m.Value)));
        var receipts = telemetry.Tagged("pottery.topic.received", "pottery.topic.name", name);
        Assert.Equal(("{message}", 2d), (Assert.Single(receipts.Select(m => m.Unit).Distinct()), receipts.Sum(m => m.Value)));
    }

    [Fact]
    public async Task A_reliable_topic_counts_publishes_deliveries_acknowledgements_redeliveries_and_dead_letters()
    {
        using var telemetry = new TelemetryCollector();
        using var topic = new RedisReliableTopic<string>(redis.Database, TestKeys.Unique("reliable"), visibilityTimeout: TimeSpan.FromMilliseconds(50), maxDeliveries: 2);
        var name = topic.Key.ToString();
        await topic.CreateGroupAsync("workers", TopicPosition.Beginning);
        await topic.PublishAsync("done");
        await topic.PublishAsync("dropped");
        using var subscription = topic.Subscribe("workers", "w1");

        var done = await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal("done", done.Value);
        Assert.True(await done.AcknowledgeAsync());
        Assert.False(await done.AcknowledgeAsync());
        Assert.Equal(1, (await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline)).DeliveryCount);
        Assert.Equal(2, (await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline)).DeliveryCount);
        // The third delivery would exceed the limit: the message goes to the dead-letter stream instead.
        var giveUp = DateTime.UtcNow + Deadline;
        while (await redis.Database.StreamLengthAsync(topic.DeadLetterKey) == 0)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the message never reached the dead-letter stream");
            using var pause = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await subscription.ReceiveAsync(pause.Token));
        }

        // The take that moved it reports it when its reply is read, which may come after the stream shows it.
        await Eventually.SucceedsAsync(() => Task.FromResult(Assert.Single(telemetry.Tagged("pottery.topic.dead_letters", "pottery.topic.name", name))), Deadline);
        Assert.Equal((2d, "{message}"), Sum(telemetry.Tagged("pottery.topic.published", "pottery.topic.name", name)));
        Assert.Equal((3d, "{delivery}"), Sum(telemetry.Tagged("pottery.topic.delivered", "pottery.topic.name", name)));
        Assert.Equal((1d, "{delivery}"), Sum(telemetry.Tagged("pottery.topic.redeliveries", "pottery.topic.name", name)));
        Assert.Equal((1d, "{message}"), Sum(telemetry.Tagged("pottery.topic.acknowledged", "pottery.topic.name", name)));
        Assert.Equal((1d, "{message}"), Sum(telemetry.Tagged("pottery.topic.dead_letters", "pottery.topic.name", name)));
    }

    [Fact]
    public async Task Publishes_and_reliable_receives_are_spans_with_the_topic_the_group_and_the_message_id()
    {
        using var telemetry = new TelemetryCollector();
        var channel = TestKeys.Unique("topic").ToString();
        Assert.Equal(0, await new RedisTopic<string>(redis.Database, channel).PublishAsync("nobody listens"));
        using var topic = new RedisReliableTopic<string>(redis.Database, TestKeys.Unique("reliable"));
        var name = topic.Key.ToString();
        await topic.CreateGroupAsync("workers", TopicPosition.Beginning);
        var id = await topic.PublishAsync("work");
        var subscription = topic.Subscribe("workers", "w1");

        var delivery = await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline);
        using (var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await subscription.ReceiveAsync(stop.Token));
        }

        subscription.Dispose();

        var published = Assert.Single(telemetry.Spans("pottery.topic.publish", "pottery.topic.name", channel));
        Assert.Equal((ActivityKind.Producer, "redis", "0", null), (published.Kind, published.GetTagItem("db.system.name"), published.GetTagItem("db.namespace"), published.GetTagItem("messaging.message.id")));
        var appended = Assert.Single(telemetry.Spans("pottery.topic.publish", "pottery.topic.name", name));
        Assert.Equal((ActivityKind.Producer, id), (appended.Kind, appended.GetTagItem("messaging.message.id")));
        var receives = telemetry.Spans("pottery.topic.receive", "pottery.topic.name", name);
        Assert.Equal(2, receives.Count);
        Assert.All(receives, span => Assert.Equal((ActivityKind.Consumer, "workers"), (span.Kind, span.GetTagItem("pottery.topic.group"))));
        Assert.Equal((delivery.Id, ActivityStatusCode.Unset), (receives[0].GetTagItem("messaging.message.id"), receives[0].Status));
        Assert.Equal(ActivityStatusCode.Error, receives[1].Status);
    }

    private static (double Total, string? Unit) Sum(IReadOnlyList<Measurement> measurements) =>
        (measurements.Sum(m => m.Value), Assert.Single(measurements.Select(m => m.Unit).Distinct()));
}

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

    private static (double Total, string? Unit) Sum(IReadOnlyList<Measurement> measurements) =>
        (measurements.Sum(m => m.Value), Assert.Single(measurements.Select(m => m.Unit).Distinct()));
}

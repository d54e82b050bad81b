using System.Diagnostics;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

public sealed class QueueTelemetryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dequeue_records_its_wait_and_a_client_span_and_an_enqueue_the_depth_it_left()
    {
        using var telemetry = new TelemetryCollector();
        using var queue = new RedisQueue<string>(redis.Database, TestKeys.Unique("queue"));
        var name = queue.Key.ToString();

        await queue.EnqueueAsync("a");
        await queue.EnqueueAsync("b");
        var (found, delivery) = await queue.TryDequeueAsync();
        Assert.True(found);
        Assert.True(await queue.AcknowledgeAsync(delivery!));
        await queue.DequeueAsync();
        Assert.False((await queue.TryDequeueAsync()).Found);

        Assert.Equal([1d, 2d], telemetry.Tagged("pottery.queue.depth", "pottery.queue.name", name).Select(m => m.Value));
        Assert.All(telemetry.Tagged("pottery.queue.depth", "pottery.queue.name", name), m => Assert.Equal("{item}", m.Unit));
        var waits = telemetry.Tagged("pottery.queue.wait.duration", "pottery.queue.name", name);
        Assert.Equal(["item", "item", "empty"], waits.Select(m => m.Tag("pottery.queue.outcome")));
        Assert.All(waits, m => Assert.Equal("s", m.Unit));
        var spans = telemetry.Spans("pottery.queue.dequeue", "pottery.queue.name", name);
        Assert.Equal(["item", "item", "empty"], spans.Select(s => s.GetTagItem("pottery.queue.outcome")));
        Assert.All(spans, span => Assert.Equal((ActivityKind.Client, "redis", "0"), (span.Kind, span.GetTagItem("db.system.name"), span.GetTagItem("db.namespace"))));
        Assert.Empty(telemetry.Tagged("pottery.queue.redeliveries", "pottery.queue.name", name));
    }

    [Fact]
    public async Task An_item_handed_out_again_counts_as_a_redelivery_and_one_past_its_last_delivery_as_a_dead_letter()
    {
        using var telemetry = new TelemetryCollector();
        using var queue = new RedisQueue<string>(redis.Database, TestKeys.Unique("queue"), visibilityTimeout: TimeSpan.FromMilliseconds(50), maxDeliveries: 2);
        var name = queue.Key.ToString();
        await queue.EnqueueAsync("work");

        Assert.Equal(1, (await queue.DequeueAsync()).DeliveryCount);
        var again = await queue.DequeueAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(2, again.DeliveryCount);
        // The third delivery would exceed the limit: the item goes to the dead-letter list instead.
        var giveUp = DateTime.UtcNow + Deadline;
        while (await redis.Database.ListLengthAsync(queue.DeadLetterKey) == 0)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the item never reached the dead-letter list");
            Assert.False((await queue.TryDequeueAsync(TimeSpan.FromMilliseconds(100))).Found);
        }

        var redelivery = Assert.Single(telemetry.Tagged("pottery.queue.redeliveries", "pottery.queue.name", name));
        Assert.Equal(("{delivery}", 1d), (redelivery.Unit, redelivery.Value));
        var deadLetter = Assert.Single(telemetry.Tagged("pottery.queue.dead_letters", "pottery.queue.name", name));
        Assert.Equal(("{item}", 1d), (deadLetter.Unit, deadLetter.Value));
    }
}

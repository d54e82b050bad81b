using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Messaging;

// Garnet has no stream commands: the reliable topic says so, clearly, wherever it is used.
public sealed class RedisReliableTopicOnGarnetTests(SharedGarnetFixture redis) : IClassFixture<SharedGarnetFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_operation_says_the_server_has_no_streams()
    {
        using var topic = new RedisReliableTopic<int>(redis.Database, TestKeys.Unique());

        AssertNoStreams("XADD", await Assert.ThrowsAsync<NotSupportedException>(() => topic.PublishAsync(1).AsTask()));
        AssertNoStreams("XLEN", Assert.Throws<NotSupportedException>(() => topic.Count));
        AssertNoStreams("XGROUP CREATE", await Assert.ThrowsAsync<NotSupportedException>(() => topic.CreateGroupAsync("workers", TopicPosition.Beginning).AsTask()));
        AssertNoStreams("XREAD", await Assert.ThrowsAsync<NotSupportedException>(async () => await topic.ReadAsync(TopicPosition.Beginning).ToListAsync()));
        await using var subscription = topic.Subscribe("workers", "worker");
        AssertNoStreams("XREADGROUP", await Assert.ThrowsAsync<NotSupportedException>(() => subscription.ReceiveAsync().AsTask().WaitAsync(Deadline)));
    }

    private static void AssertNoStreams(string command, NotSupportedException error)
    {
        Assert.Contains($"stream command {command} (", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no stream commands", error.Message, StringComparison.Ordinal);
    }
}

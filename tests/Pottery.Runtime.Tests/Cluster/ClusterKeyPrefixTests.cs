using Pottery.Testing.Redis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery.Runtime.Tests.Cluster;

// A prefix without a hash tag moves a key without one to another slot, but not the helper keys named
// after it ({<key>}:…): only on a cluster does that matter.
public sealed class ClusterKeyPrefixTests(SharedClusterFixture cluster) : IClassFixture<SharedClusterFixture>
{
    private readonly IDatabase _prefixed = cluster.Database.WithKeyPrefix("app:");

    [Fact]
    public async Task An_untagged_key_under_an_untagged_prefix_is_refused_with_advice_on_Cluster()
    {
        using var queue = new RedisQueue<string>(_prefixed, TestKeys.Unique("queue"));
        using var counter = new RedisCounter<string>(_prefixed, ["x"], TestKeys.Unique("counter"));

        // The enqueue already touches the queue's helper keys (delayed items fall due there), so it is refused first.
        var queueError = await Assert.ThrowsAsync<NotSupportedException>(() => queue.EnqueueAsync("a").AsTask());
        await Assert.ThrowsAsync<NotSupportedException>(() => queue.DequeueAsync().AsTask());
        var counterError = Assert.Throws<NotSupportedException>(() => counter + counter);

        Assert.Contains("hash tag", queueError.Message, StringComparison.Ordinal);
        Assert.Contains(counter.Key.ToString(), counterError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tagged_key_under_an_untagged_prefix_works_on_Cluster()
    {
        var tag = TestKeys.SlotTag();
        using var queue = new RedisQueue<string>(_prefixed, TestKeys.Unique(tag + "queue"));
        using var counter = new RedisCounter<string>(_prefixed, ["x"], TestKeys.Unique(tag + "counter"));

        await queue.EnqueueAsync("a");
        var delivery = await queue.DequeueAsync();
        Assert.True(await queue.AcknowledgeAsync(delivery));
        using var sum = counter + counter;
        Assert.Equal(2, await sum.GetAsync("x"));
    }
}

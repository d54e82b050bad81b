using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Queues;

public sealed class QueueDisposalTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    public static TheoryData<string> Kinds => [.. QueueKind.All];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_disposed_queue_refuses_every_call_with_ObjectDisposedException(string kind)
    {
        var key = TestKeys.Unique();
        var q = QueueKind.Open(kind, redis.Database, key, capacity: 2);
        await q.EnqueueAsync("kept");
        await q.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.EnqueueAsync("x").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.TryEnqueueAsync("x", TimeSpan.Zero).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.DequeueAsync().AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.TryDequeueAsync(TimeSpan.FromSeconds(1)).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => q.CountAsync().AsTask());
        Assert.Throws<ObjectDisposedException>(() => q.IsEmpty);

        // The queue's data was not its own to delete.
        await using var again = QueueKind.Open(kind, redis.Database, key, capacity: 2);
        Assert.Equal(1, await again.CountAsync());
    }
}

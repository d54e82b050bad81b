using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A last-in, first-out queue (a stack) in a Redis list, like Python's <c>queue.LifoQueue</c>:
/// <c>RPUSH</c> to enqueue, <c>RPOP</c> to dequeue; optionally bounded.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class RedisLifoQueue<T> : RedisQueueBase<T>
{
    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix and database number apply to every command.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="capacity">The most items it holds (Python's <c>maxsize</c>); 0 for no bound.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public RedisLifoQueue(IDatabase database, RedisKey? key = null, int capacity = 0, IRedisCodec<T>? codec = null)
        : base(database, key, codec, capacity)
    {
    }

    private protected override ValueTask<bool> TryPushAsync(RedisValue item, double priority) =>
        ListPushAsync([Key], item);

    private protected override ValueTask<RedisValue> TryTakeAsync() =>
        CallAsync(0, static (d, k, _) => d.ListRightPopAsync(k), static (item, _, _) => item, CancellationToken.None);
}

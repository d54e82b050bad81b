using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A last-in, first-out queue (a stack) in a Redis list, like Python's <c>queue.LifoQueue</c>:
/// <c>RPUSH</c> to enqueue, <c>RPOP</c> to dequeue; optionally bounded. An item is removed when it is
/// taken (see <see cref="RedisSimpleQueue{T}"/>); a take abandoned at its deadline or by cancellation
/// puts what it took back on top, once there is space.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class RedisLifoQueue<T> : RedisQueueBase<T, T>
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

    private protected override ValueTask<bool> TryPushAsync(RedisValue item, double priority, QueueDue due) => ListPushAsync(QueueScripts.Push, item);

    private protected override ValueTask<QueueTake> TryTakeAsync(CancellationToken cancellationToken) =>
        SendTakeAsync(static (d, k, _) => d.ListRightPopAsync(k), static item => item.IsNull ? QueueTake.None() : QueueTake.Of(item), cancellationToken);

    private protected override T Deliver(QueueTake taken) => DecodeOrRestore(taken);

    private protected override ValueTask<bool> TryRestoreAsync(QueueTake taken) => ListGiveBackAsync(QueueScripts.Push, taken.Item);
}

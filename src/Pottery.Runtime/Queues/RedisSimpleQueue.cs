using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// An unbounded first-in, first-out queue in a Redis list, like Python's <c>queue.SimpleQueue</c>:
/// <c>RPUSH</c> to enqueue, <c>LPOP</c> to dequeue. An item is removed when it is taken, so a consumer
/// that dies with it, or whose connection drops before the reply arrives, loses it; use
/// <c>RedisQueue&lt;T&gt;</c> when that must not happen. A take abandoned at its deadline or by
/// cancellation puts what it took back at the front.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class RedisSimpleQueue<T> : RedisQueueBase<T, T>
{
    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix and database number apply to every command.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public RedisSimpleQueue(IDatabase database, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : base(database, key, codec, capacity: 0)
    {
    }

    private protected override ValueTask<bool> TryPushAsync(RedisValue item, double priority, QueueDue due) => ListPushAsync(QueueScripts.Push, item);

    private protected override ValueTask<QueueTake> TryTakeAsync(CancellationToken cancellationToken) =>
        SendTakeAsync(static (d, k, _) => d.ListLeftPopAsync(k), static item => item.IsNull ? QueueTake.None() : QueueTake.Of(item), cancellationToken);

    private protected override T Deliver(QueueTake taken) => DecodeOrRestore(taken);

    private protected override ValueTask<bool> TryRestoreAsync(QueueTake taken) => ListGiveBackAsync(QueueScripts.PushFront, taken.Item);
}

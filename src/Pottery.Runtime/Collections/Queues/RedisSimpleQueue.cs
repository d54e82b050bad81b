using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// An unbounded first-in, first-out queue in a Redis list, like Python's <c>queue.SimpleQueue</c>:
/// <c>RPUSH</c> to put, <c>LPOP</c>/<c>BLPOP</c> to get. An item is removed when it is taken; use
/// <c>RedisQueue&lt;T&gt;</c> when a consumer that dies must not lose it.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class RedisSimpleQueue<T> : RedisQueueBase<T>
{
    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="blockingConnection">Opens a dedicated connection for blocking gets; by default one like <paramref name="database"/>'s.</param>
    public RedisSimpleQueue(IDatabase database, RedisKey? key = null, IRedisCodec<T>? codec = null, Func<Task<IConnectionMultiplexer>>? blockingConnection = null)
        : base(database, key, codec, maxSize: 0, blockingConnection)
    {
    }

    private protected override async Task<bool> TryPushAsync(RedisValue element, CancellationToken cancellationToken)
    {
        await CallAsync(() => Database.ListRightPushAsync(Key, element), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private protected override Task<RedisValue> TryTakeAsync() => Database.ListLeftPopAsync(Key);

    private protected override async Task<RedisValue> TakeBlockingAsync(IDatabase dedicated, double seconds) =>
        BlockingReplies.Element(await dedicated.ExecuteAsync("BLPOP", Key, seconds).ConfigureAwait(false));

    private protected override Task PutBackAsync(RedisValue element) => Database.ListLeftPushAsync(Key, element);
}

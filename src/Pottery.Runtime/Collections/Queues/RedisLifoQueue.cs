using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A last-in, first-out queue (a stack) in a Redis list, like Python's <c>queue.LifoQueue</c>:
/// <c>RPUSH</c> to put, <c>RPOP</c>/<c>BRPOP</c> to get; optionally bounded.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class RedisLifoQueue<T> : RedisQueueBase<T>
{
    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxSize">The most items it holds; 0 or less for no bound.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="blockingConnection">Opens a dedicated connection for blocking gets; by default one like <paramref name="database"/>'s.</param>
    public RedisLifoQueue(IDatabase database, RedisKey? key = null, int maxSize = 0, IRedisCodec<T>? codec = null, Func<Task<IConnectionMultiplexer>>? blockingConnection = null)
        : base(database, key, codec, maxSize, blockingConnection)
    {
    }

    private protected override async Task<bool> TryPushAsync(RedisValue element, CancellationToken cancellationToken) =>
        (long)await EvaluateAsync(QueueScripts.Push, [Key], [MaxSize, element], cancellationToken).ConfigureAwait(false) == 1;

    private protected override Task<RedisValue> TryTakeAsync() => Database.ListRightPopAsync(Key);

    private protected override async Task<RedisValue> TakeBlockingAsync(IDatabase dedicated, double seconds) =>
        BlockingReplies.Element(await dedicated.ExecuteAsync("BRPOP", Key, seconds).ConfigureAwait(false));

    private protected override Task PutBackAsync(RedisValue element) => Database.ListRightPushAsync(Key, element);
}

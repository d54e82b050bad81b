using System.Globalization;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A priority queue in a Redis sorted set, like Python's <c>queue.PriorityQueue</c>: the lowest
/// priority leaves first and equal priorities leave in the order they came; the same item may be
/// queued more than once. <c>ZPOPMIN</c>/<c>BZPOPMIN</c> to get.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// Members are <c>&lt;20-digit sequence&gt;:&lt;priority&gt;:&lt;item&gt;</c>; the sequence comes from
/// <c>{&lt;key&gt;}:sequence</c>. <see cref="RedisQueueBase{T}.Put"/> without a priority uses 0.
/// </remarks>
public sealed class RedisPriorityQueue<T> : RedisQueueBase<T>
{
    private readonly RedisKey _sequence;

    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxSize">The most items it holds; 0 or less for no bound.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="blockingConnection">Opens a dedicated connection for blocking gets; by default one like <paramref name="database"/>'s.</param>
    public RedisPriorityQueue(IDatabase database, RedisKey? key = null, int maxSize = 0, IRedisCodec<T>? codec = null, Func<Task<IConnectionMultiplexer>>? blockingConnection = null)
        : base(database, key, codec, maxSize, blockingConnection)
    {
        _sequence = DerivedKey.For(Key, "sequence");
    }

    /// <summary>Puts an item in with a priority (lower leaves first), waiting for space if bounded and full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Its priority.</param>
    /// <param name="block">Whether to wait for space.</param>
    /// <param name="timeout">How long to wait at most; <see langword="null"/> for as long as it takes.</param>
    /// <exception cref="QueueFullException">The queue stayed full.</exception>
    public void Put(T item, double priority, bool block = true, TimeSpan? timeout = null) =>
        PutAsync(item, priority, block, timeout).GetAwaiter().GetResult();

    /// <summary>Puts an item in with a priority (lower leaves first), waiting for space if bounded and full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Its priority.</param>
    /// <param name="block">Whether to wait for space.</param>
    /// <param name="timeout">How long to wait at most; <see langword="null"/> for as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the item is queued.</returns>
    /// <exception cref="QueueFullException">The queue stayed full.</exception>
    public Task PutAsync(T item, double priority, bool block = true, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (double.IsNaN(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "A priority must be a number.");
        }

        return PutEncodedAsync(WithPriority(item, priority), block, timeout, cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<int> QSizeAsync(CancellationToken cancellationToken = default) =>
        (int)await CallAsync(() => Database.SortedSetLengthAsync(Key), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override RedisType RedisType => RedisType.SortedSet;

    private protected override async Task<bool> TryPushAsync(RedisValue element, CancellationToken cancellationToken)
    {
        var (priority, item) = Split(element);
        return (long)await EvaluateAsync(QueueScripts.PriorityPush, [Key, _sequence], [MaxSize, priority, item], cancellationToken).ConfigureAwait(false) == 1;
    }

    private protected override async Task<RedisValue> TryTakeAsync()
    {
        var popped = await Database.SortedSetPopAsync(Key).ConfigureAwait(false);
        return popped is { } entry ? Item(entry.Element) : RedisValue.Null;
    }

    private protected override async Task<RedisValue> TakeBlockingAsync(IDatabase dedicated, double seconds)
    {
        var member = BlockingReplies.Member(await dedicated.ExecuteAsync("BZPOPMIN", Key, seconds).ConfigureAwait(false));
        return member.IsNull ? member : Item(member);
    }

    private protected override Task PutBackAsync(RedisValue element) => TryPushAsync(element, CancellationToken.None);

    private protected override RedisValue EncodeForPut(T item) => WithPriority(item, 0);

    private protected override RedisValue ItemOf(RedisValue taken) => Split(taken).Item;

    // The base class moves encoded items; a priority travels with its item as "<priority>:<item>".
    private RedisValue WithPriority(T item, double priority) =>
        (byte[])[.. System.Text.Encoding.ASCII.GetBytes(priority.ToString("R", CultureInfo.InvariantCulture) + ":"), .. (byte[])Codec.Encode(item)!];

    private static (RedisValue Priority, RedisValue Item) Split(RedisValue element)
    {
        var bytes = (byte[])element!;
        var colon = Array.IndexOf(bytes, (byte)':');
        return (bytes[..colon], bytes[(colon + 1)..]);
    }

    // Members are "<sequence>:<priority>:<item>"; the base class wants "<priority>:<item>" back for put-backs.
    private static RedisValue Item(RedisValue member)
    {
        var bytes = (byte[])member!;
        return bytes[(Array.IndexOf(bytes, (byte)':') + 1)..];
    }
}

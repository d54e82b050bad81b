using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A priority queue in a Redis sorted set, like Python's <c>queue.PriorityQueue</c>: the lowest
/// priority leaves first and equal priorities leave in the order they came; the same item may be
/// queued more than once. An item is removed when it is taken (see <see cref="RedisSimpleQueue{T}"/>);
/// a take abandoned at its deadline or by cancellation puts what it took back in its place, once
/// there is space.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// Members are <c>&lt;20-digit sequence&gt;:&lt;priority&gt;:&lt;item&gt;</c>; the sequence comes from
/// <c>sequence</c> helper key (<see cref="DerivedKey"/>). An item enqueued without a priority has
/// priority 0. A member of another shape at the head of the queue is left where it is and reported as
/// a <see cref="CodecException"/>.
/// </remarks>
public sealed class RedisPriorityQueue<T> : RedisQueueBase<T, T>
{
    private readonly RedisKey _sequence;

    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix and database number apply to every command.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="capacity">The most items it holds (Python's <c>maxsize</c>); 0 for no bound.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public RedisPriorityQueue(IDatabase database, RedisKey? key = null, int capacity = 0, IRedisCodec<T>? codec = null)
        : base(database, key, codec, capacity)
    {
        _sequence = DerivedKey.For(Key, "sequence");
    }

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.SortedSet;

    /// <summary>Adds an item with a priority (lower leaves first), waiting for space in a full bounded queue as long as it takes (Python's <c>put((priority, item))</c>).</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Its priority.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="priority"/> is not a number.</exception>
    public void Enqueue(T item, double priority) => Sync.Wait(EnqueueAsync(item, priority));

    /// <summary>Adds an item with a priority (lower leaves first), waiting for space in a full bounded queue as long as it takes.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Its priority.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>A task that completes when the item is in the queue.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="priority"/> is not a number.</exception>
    public async ValueTask EnqueueAsync(T item, double priority, CancellationToken cancellationToken = default) =>
        await PushAsync(Codec.Encode(item), Checked(priority), Deadline.Never, cancellationToken).ConfigureAwait(false);

    /// <summary>Adds an item with a priority if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Its priority (lower leaves first).</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="priority"/> is not a number, or <paramref name="timeout"/> is negative and not infinite.</exception>
    public bool TryEnqueue(T item, double priority, TimeSpan timeout) => Sync.Wait(TryEnqueueAsync(item, priority, timeout));

    /// <summary>Adds an item with a priority if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Its priority (lower leaves first).</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="priority"/> is not a number, or <paramref name="timeout"/> is negative and not infinite.</exception>
    public ValueTask<bool> TryEnqueueAsync(T item, double priority, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        PushAsync(Codec.Encode(item), Checked(priority), Deadline.After(timeout), cancellationToken);

    /// <inheritdoc />
    private protected override string EntryShape => "a priority queue member <sequence>:<priority>:<item>";

    /// <inheritdoc />
    private protected override void ReleaseResources()
    {
        if (OwnsKey)
        {
            Sync.Wait(CallAsync(_sequence, static (d, _, sequence) => d.KeyDeleteAsync(sequence, CommandFlags.FireAndForget), CancellationToken.None));
        }
    }

    private protected override ValueTask<int> LengthAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return CallAsync(0, static (d, k, _) => d.SortedSetLengthAsync(k), static (length, _, _) => (int)length, cancellationToken);
    }

    private protected override ValueTask<bool> TryPushAsync(RedisValue item, double priority, QueueDue due) =>
        EvaluateAsync(QueueScripts.PriorityPush, [Key, _sequence], [Capacity, priority, item, ItemsSuffix], this, static (size, queue, _) => queue.Stored((long)size), CancellationToken.None);

    private protected override ValueTask<QueueTake> TryTakeAsync(CancellationToken cancellationToken) =>
        SendTakeAsync(static (d, k, _) => d.ScriptEvaluateAsync(QueueScripts.PriorityTake.Source, [k]), static reply => Taken(reply), cancellationToken);

    private protected override T Deliver(QueueTake taken) => DecodeOrRestore(taken);

    private protected override ValueTask<bool> TryRestoreAsync(QueueTake taken) =>
        EvaluateEvenIfDisposedAsync(QueueScripts.PriorityPutBack, [Key], [Capacity, taken.Receipt, ItemsSuffix], 0, static (stored, _, _) => (long)stored == 1);

    private static double Checked(double priority) =>
        double.IsNaN(priority) ? throw new ArgumentOutOfRangeException(nameof(priority), priority, "A priority must be a number.") : priority;

    private static QueueTake Taken(RedisResult reply)
    {
        if (reply.IsNull)
        {
            return QueueTake.None();
        }

        var taken = (RedisResult[])reply!;
        var member = (RedisValue)taken[1];
        return (long)taken[0] == 1 ? QueueTake.Of(Item(member), member) : QueueTake.Malformed(member);
    }

    // The item follows the second colon: the take script checked that the sequence and the priority contain none.
    private static RedisValue Item(RedisValue member)
    {
        var bytes = (byte[])member!;
        var afterSequence = Array.IndexOf(bytes, (byte)':') + 1;
        return bytes[(Array.IndexOf(bytes, (byte)':', afterSequence) + 1)..];
    }
}

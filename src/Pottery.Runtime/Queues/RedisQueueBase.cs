using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// What every Redis-backed queue shares, with the semantics of Python's <c>queue</c> module under
/// .NET names: <see cref="Enqueue"/> and <see cref="Dequeue"/> wait as long as it takes;
/// <see cref="TryEnqueue"/> and <see cref="TryDequeue"/> wait up to a timeout
/// (<see cref="TimeSpan.Zero"/>: not at all) and say whether they succeeded.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// <para>Every command goes to the database given to the constructor, so its key prefix
/// (<c>WithKeyPrefix</c>), database number and connection settings apply; no call blocks a
/// connection. A call that must wait tries a non-blocking command; when that fails it listens for
/// the queue's announcement (<c>&lt;key&gt;:items</c> when an item is stored,
/// <c>&lt;key&gt;:space</c> when a bounded queue frees a slot), tries once more, then waits for a
/// wake-up and tries again. It also retries after a pause without one, since pub/sub loses messages
/// while a connection is down. The listening ends with the call, so nothing stays subscribed once
/// no call waits. A timeout is a deadline for the whole call.</para>
/// <para>Cancelling stops a wait, never a command already sent: a dequeue that is cancelled took
/// nothing, and an enqueue that is cancelled stored nothing.</para>
/// </remarks>
public abstract class RedisQueueBase<T> : RedisObject
{
    /// <summary>The channel suffix on which stored items are announced.</summary>
    private protected const string ItemsSuffix = ":items";
    private const string SpaceSuffix = ":space";
    private TimeSpan _retryPause = TimeSpan.FromSeconds(1);

    /// <summary>Binds the queue to its key.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="capacity">The most items the queue holds; 0 for no bound.</param>
    private protected RedisQueueBase(IDatabase database, RedisKey? key, IRedisCodec<T>? codec, int capacity)
        : base(database, key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Codec = codec ?? RedisCodecs.For<T>();
        Capacity = capacity;
    }

    /// <summary>The most items the queue holds (Python's <c>maxsize</c>); 0 when unbounded.</summary>
    public int Capacity { get; }

    /// <summary>The number of items waiting (Python's <c>qsize()</c>); approximate while others use the queue.</summary>
    public int Count => Sync.Wait(CountAsync());

    /// <summary>Whether no item is waiting (Python's <c>empty()</c>).</summary>
    public bool IsEmpty => Sync.Wait(IsEmptyAsync());

    /// <summary>Whether a bounded queue holds <see cref="Capacity"/> items (Python's <c>full()</c>); never for an unbounded one.</summary>
    public bool IsFull => Sync.Wait(IsFullAsync());

    /// <summary>
    /// The longest a waiting call waits without a wake-up before trying again: a safety net for
    /// announcements lost while a connection was down, not how waiters normally learn of a change.
    /// </summary>
    internal TimeSpan RetryPause
    {
        get => _retryPause;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value.TotalMilliseconds, int.MaxValue, nameof(value));
            _retryPause = value;
        }
    }

    /// <summary>How items are stored.</summary>
    private protected IRedisCodec<T> Codec { get; }

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.List;

    /// <summary>Adds an item, waiting for space in a full bounded queue as long as it takes (Python's <c>put(item)</c>).</summary>
    /// <param name="item">The item.</param>
    public void Enqueue(T item) => Sync.Wait(EnqueueAsync(item));

    /// <summary>Adds an item, waiting for space in a full bounded queue as long as it takes (Python's <c>put(item)</c>).</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>A task that completes when the item is in the queue.</returns>
    public async ValueTask EnqueueAsync(T item, CancellationToken cancellationToken = default) =>
        await PushAsync(Codec.Encode(item), 0, Deadline.Never, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Adds an item if there is space within <paramref name="timeout"/> (Python's <c>put(item, timeout=…)</c>;
    /// with <see cref="TimeSpan.Zero"/>, <c>put_nowait</c>).
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public bool TryEnqueue(T item, TimeSpan timeout) => Sync.Wait(TryEnqueueAsync(item, timeout));

    /// <summary>Adds an item if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public ValueTask<bool> TryEnqueueAsync(T item, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        PushAsync(Codec.Encode(item), 0, Deadline.After(timeout), cancellationToken);

    /// <summary>Takes the next item, waiting for one as long as it takes (Python's <c>get()</c>).</summary>
    /// <returns>The item.</returns>
    public T Dequeue() => Sync.Wait(DequeueAsync());

    /// <summary>Takes the next item, waiting for one as long as it takes (Python's <c>get()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting; a cancelled call took nothing.</param>
    /// <returns>The item.</returns>
    public async ValueTask<T> DequeueAsync(CancellationToken cancellationToken = default) =>
        (await TakeAsync(Deadline.Never, cancellationToken).ConfigureAwait(false)).Item!;

    /// <summary>
    /// Takes the next item if one comes within <paramref name="timeout"/> (Python's <c>get(timeout=…)</c>;
    /// with no timeout, <c>get_nowait()</c>).
    /// </summary>
    /// <param name="item">The item, when one came.</param>
    /// <param name="timeout">How long to wait: <see cref="TimeSpan.Zero"/> (the default) not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <returns>Whether an item came.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public bool TryDequeue([MaybeNullWhen(false)] out T item, TimeSpan timeout = default)
    {
        var (found, taken) = Sync.Wait(TryDequeueAsync(timeout));
        item = taken!;
        return found;
    }

    /// <summary>Takes the next item if one comes within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait: <see cref="TimeSpan.Zero"/> (the default) not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call took nothing.</param>
    /// <returns>Whether an item came, and the item.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public ValueTask<(bool Found, T? Item)> TryDequeueAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TakeAsync(Deadline.After(timeout), cancellationToken);

    /// <summary>The number of items waiting (Python's <c>qsize()</c>); approximate while others use the queue.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) => LengthAsync(cancellationToken);

    /// <summary>Whether no item is waiting (Python's <c>empty()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the queue is empty.</returns>
    public async ValueTask<bool> IsEmptyAsync(CancellationToken cancellationToken = default) =>
        await LengthAsync(cancellationToken).ConfigureAwait(false) == 0;

    /// <summary>Whether a bounded queue holds <see cref="Capacity"/> items (Python's <c>full()</c>); never for an unbounded one.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the queue is full.</returns>
    public async ValueTask<bool> IsFullAsync(CancellationToken cancellationToken = default) =>
        Capacity > 0 && await LengthAsync(cancellationToken).ConfigureAwait(false) >= Capacity;

    /// <summary>Stores an item, waiting for space until <paramref name="deadline"/>.</summary>
    /// <param name="item">The encoded item.</param>
    /// <param name="priority">Its priority, for queues that have them.</param>
    /// <param name="deadline">When to stop waiting for space.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether it was stored.</returns>
    private protected async ValueTask<bool> PushAsync(RedisValue item, double priority, Deadline deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (await TryPushAsync(item, priority).ConfigureAwait(false))
        {
            return true;
        }

        return !deadline.IsNow && await WaitForAsync(
            SpaceSuffix,
            WakeMode.One,
            deadline,
            (Queue: this, Item: item, Priority: priority),
            static s => s.Queue.TryPushAsync(s.Item, s.Priority),
            static stored => stored,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or <paramref name="deadline"/> passes, woken
    /// by announcements on <see cref="RedisObject.Key"/>'s channel <paramref name="suffix"/>; for a
    /// caller whose first attempt already failed. Returns the last attempt's result.
    /// </summary>
    private protected async ValueTask<TResult> WaitForAsync<TState, TResult>(string suffix, WakeMode mode, Deadline deadline, TState state, Func<TState, ValueTask<TResult>> attempt, Func<TResult, bool> succeeded, CancellationToken cancellationToken)
    {
        using var listener = new WakeUpListener();
        await listener.ListenAsync(Database, Key, suffix, mode).ConfigureAwait(false);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await attempt(state).ConfigureAwait(false);
            if (succeeded(result) || deadline.HasPassed)
            {
                return result;
            }

            await listener.WaitAsync(deadline.Cap(RetryPause), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The number of items waiting.</summary>
    private protected virtual ValueTask<int> LengthAsync(CancellationToken cancellationToken) =>
        CallAsync(0, static (d, k, _) => d.ListLengthAsync(k), static (length, _, _) => (int)length, cancellationToken);

    /// <summary>Appends an item to the list at <c>keys[0]</c> unless it holds <see cref="Capacity"/> items, incrementing <c>keys[1]</c> if given; see <see cref="TryPushAsync"/>.</summary>
    private protected ValueTask<bool> ListPushAsync(RedisKey[] keys, RedisValue item) =>
        EvaluateAsync(QueueScripts.Push, keys, [Capacity, item, ItemsSuffix], 0, static (stored, _, _) => (long)stored == 1, CancellationToken.None);

    /// <summary>
    /// Stores an item unless the queue is full and announces it, atomically, with one command that
    /// is never abandoned once sent (its reply says whether the item is in).
    /// </summary>
    /// <param name="item">The encoded item.</param>
    /// <param name="priority">Its priority; ignored by queues without them.</param>
    /// <returns>Whether it was stored.</returns>
    private protected abstract ValueTask<bool> TryPushAsync(RedisValue item, double priority);

    /// <summary>
    /// Takes the next item with one non-blocking command that is never abandoned once sent (the
    /// item it takes must reach a caller); null when the queue is empty.
    /// </summary>
    /// <returns>The encoded item, or null.</returns>
    private protected abstract ValueTask<RedisValue> TryTakeAsync();

    private async ValueTask<(bool Found, T? Item)> TakeAsync(Deadline deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var taken = await TakeAnnouncingSpaceAsync().ConfigureAwait(false);
        if (taken.IsNull && !deadline.IsNow)
        {
            taken = await WaitForAsync(ItemsSuffix, WakeMode.One, deadline, this, static q => q.TakeAnnouncingSpaceAsync(), static t => !t.IsNull, cancellationToken).ConfigureAwait(false);
        }

        return taken.IsNull ? (false, default) : (true, Codec.DecodeAt(taken, Key, "(an item)"));
    }

    // A take frees a slot that a put may be waiting for.
    private async ValueTask<RedisValue> TakeAnnouncingSpaceAsync()
    {
        var taken = await TryTakeAsync().ConfigureAwait(false);
        if (!taken.IsNull && Capacity > 0)
        {
            WakeUpChannel.Publish(Database, Key, SpaceSuffix);
        }

        return taken;
    }
}

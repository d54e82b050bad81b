using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// What every Redis-backed queue shares, with the semantics of Python's <c>queue</c> module:
/// <see cref="Put"/> and <see cref="Get"/> block by default, optionally up to a timeout, and
/// raise <see cref="QueueFullException"/>/<see cref="QueueEmptyException"/> when they cannot.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// A blocked <see cref="Get"/> waits with a Redis blocking command (<c>BLPOP</c>, <c>BLMOVE</c>,
/// <c>BZPOPMIN</c>) on a dedicated connection, never on the shared one and never by sleeping, in
/// slices of at most a second so cancellation is noticed. An item that a slice takes after its
/// caller gave up is put back at the front. A blocked <see cref="Put"/> on a full bounded queue
/// wakes when a getter announces free space on a Redis channel. The synchronous members wait on
/// the asynchronous ones.
/// </remarks>
public abstract class RedisQueueBase<T> : RedisObject
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);
    private readonly BlockingConnections _blocking;
    private readonly RedisChannel _spaceChannel;
    private readonly SemaphoreSlim _space = new(0);
    private int _subscribed;

    /// <summary>Binds the queue to its key and settles how blocking calls connect.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="maxSize">The most items the queue holds; 0 or less means no bound, as in Python.</param>
    /// <param name="blockingConnection">Opens a dedicated connection for blocking calls; by default one like <paramref name="database"/>'s.</param>
    private protected RedisQueueBase(IDatabase database, RedisKey? key, IRedisCodec<T>? codec, int maxSize, Func<Task<IConnectionMultiplexer>>? blockingConnection)
        : base(database, key)
    {
        Codec = codec ?? RedisCodecs.For<T>();
        MaxSize = Math.Max(0, maxSize);
        _blocking = new BlockingConnections(database, blockingConnection);
        _spaceChannel = RedisChannel.Literal(DerivedKey.For(Key, "space").ToString());
    }

    /// <summary>The most items the queue holds, 0 when unbounded.</summary>
    public int MaxSize { get; }

    /// <summary>How items are stored.</summary>
    private protected IRedisCodec<T> Codec { get; }

    /// <summary>Puts an item in, waiting for space in a full bounded queue (Python's <c>put</c>).</summary>
    /// <param name="item">The item.</param>
    /// <param name="block">Whether to wait for space; without it a full queue raises at once.</param>
    /// <param name="timeout">How long to wait at most; <see langword="null"/> waits as long as it takes. Ignored without <paramref name="block"/>, as in Python.</param>
    /// <exception cref="QueueFullException">The queue stayed full.</exception>
    public void Put(T item, bool block = true, TimeSpan? timeout = null) => PutAsync(item, block, timeout).GetAwaiter().GetResult();

    /// <summary>Puts an item in without waiting (Python's <c>put_nowait</c>).</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    public void PutNowait(T item) => Put(item, block: false);

    /// <summary>Puts an item in, waiting for space in a full bounded queue (see <see cref="Put"/>).</summary>
    /// <param name="item">The item.</param>
    /// <param name="block">Whether to wait for space.</param>
    /// <param name="timeout">How long to wait at most; <see langword="null"/> for as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the item is in the queue.</returns>
    /// <exception cref="QueueFullException">The queue stayed full.</exception>
    public Task PutAsync(T item, bool block = true, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        PutEncodedAsync(EncodeForPut(item), block, timeout, cancellationToken);

    /// <summary>Puts an encoded item in, waiting for space as <see cref="PutAsync(T, bool, TimeSpan?, CancellationToken)"/> does.</summary>
    private protected async Task PutEncodedAsync(RedisValue element, bool block, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = Deadline(timeout);
        while (true)
        {
            if (await TryPushAsync(element, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var remaining = Remaining(deadline);
            if (!block || (deadline is not null && remaining <= TimeSpan.Zero))
            {
                throw new QueueFullException($"The queue at Redis key '{Key}' is full ({MaxSize} items).", Key.ToString());
            }

            await WaitForSpaceAsync(remaining, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the next item, waiting for one if the queue is empty (Python's <c>get</c>).</summary>
    /// <param name="block">Whether to wait; without it an empty queue raises at once, with a single non-blocking command.</param>
    /// <param name="timeout">How long to wait at most; <see langword="null"/> waits as long as it takes. Ignored without <paramref name="block"/>.</param>
    /// <returns>The item.</returns>
    /// <exception cref="QueueEmptyException">No item came.</exception>
    public T Get(bool block = true, TimeSpan? timeout = null) => GetAsync(block, timeout).GetAwaiter().GetResult();

    /// <summary>Takes the next item without waiting (Python's <c>get_nowait</c>).</summary>
    /// <returns>The item.</returns>
    /// <exception cref="QueueEmptyException">The queue is empty.</exception>
    public T GetNowait() => Get(block: false);

    /// <summary>Takes the next item, waiting for one if the queue is empty (see <see cref="Get"/>).</summary>
    /// <param name="block">Whether to wait.</param>
    /// <param name="timeout">How long to wait at most; <see langword="null"/> for as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; no item is lost when it fires.</param>
    /// <returns>The item.</returns>
    /// <exception cref="QueueEmptyException">No item came.</exception>
    public async Task<T> GetAsync(bool block = true, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var (found, item) = await TryGetAsync(block ? timeout ?? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        return found ? item! : throw new QueueEmptyException($"The queue at Redis key '{Key}' is empty.", Key.ToString());
    }

    /// <summary>Takes the next item if one comes within <paramref name="timeout"/>; the .NET-style form of <see cref="Get"/>.</summary>
    /// <param name="timeout">How long to wait: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; no item is lost when it fires.</param>
    /// <returns>Whether an item came, and the item.</returns>
    public async Task<(bool Found, T? Item)> TryGetAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var raw = timeout == TimeSpan.Zero
            ? await CallAsync(TryTakeAsync, cancellationToken).ConfigureAwait(false)
            : await TakeWaitingAsync(Deadline(timeout == Timeout.InfiniteTimeSpan ? null : timeout), cancellationToken).ConfigureAwait(false);
        if (raw.IsNull)
        {
            return (false, default);
        }

        AnnounceSpace();
        return (true, Codec.DecodeAt(ItemOf(raw), Key, "(an item)"));
    }

    /// <summary>The number of items waiting (Python's <c>qsize</c>; approximate while others use the queue).</summary>
    /// <returns>The count.</returns>
    public int QSize() => QSizeAsync().GetAwaiter().GetResult();

    /// <summary>The number of items waiting.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public virtual async Task<int> QSizeAsync(CancellationToken cancellationToken = default) =>
        (int)await CallAsync(() => Database.ListLengthAsync(Key), cancellationToken).ConfigureAwait(false);

    /// <summary>Whether no item is waiting (Python's <c>empty</c>).</summary>
    /// <returns>Whether the queue is empty.</returns>
    public bool Empty() => QSizeAsync().GetAwaiter().GetResult() == 0;

    /// <summary>Whether a bounded queue holds <see cref="MaxSize"/> items (Python's <c>full</c>).</summary>
    /// <returns>Whether the queue is full.</returns>
    public bool Full() => MaxSize > 0 && QSizeAsync().GetAwaiter().GetResult() >= MaxSize;

    /// <summary>The form in which <see cref="Put"/> hands an item to <see cref="TryPushAsync"/>.</summary>
    private protected virtual RedisValue EncodeForPut(T item) => Codec.Encode(item);

    /// <summary>The encoded item inside what a take returned.</summary>
    private protected virtual RedisValue ItemOf(RedisValue taken) => taken;

    /// <summary>Stores an item unless the queue is full, atomically.</summary>
    /// <param name="element">The encoded item.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was stored.</returns>
    private protected abstract Task<bool> TryPushAsync(RedisValue element, CancellationToken cancellationToken);

    /// <summary>Takes the next item with one non-blocking command on the shared connection; null when empty.</summary>
    private protected abstract Task<RedisValue> TryTakeAsync();

    /// <summary>Takes the next item with a blocking command on <paramref name="dedicated"/>, waiting at most <paramref name="seconds"/>; null on timeout.</summary>
    private protected abstract Task<RedisValue> TakeBlockingAsync(IDatabase dedicated, double seconds);

    /// <summary>Returns an item taken for a caller that stopped waiting, so the next getter receives it first.</summary>
    private protected abstract Task PutBackAsync(RedisValue element);

    /// <inheritdoc />
    protected override RedisType RedisType => RedisType.List;

    /// <summary>Closes the dedicated connections.</summary>
    protected override void ReleaseResources()
    {
        _blocking.Dispose();
        _space.Dispose();
    }

    private static DateTime? Deadline(TimeSpan? timeout)
    {
        if (timeout is { } span && span < TimeSpan.Zero && span != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout cannot be negative.");
        }

        return timeout is { } limit && limit != Timeout.InfiniteTimeSpan ? DateTime.UtcNow + limit : null;
    }

    private static TimeSpan Remaining(DateTime? deadline) => deadline is { } end ? end - DateTime.UtcNow : Timeout.InfiniteTimeSpan;

    private async Task<RedisValue> TakeWaitingAsync(DateTime? deadline, CancellationToken cancellationToken)
    {
        var dedicated = await _blocking.RentAsync().ConfigureAwait(false);
        var returned = false;
        try
        {
            while (true)
            {
                var remaining = Remaining(deadline);
                if (deadline is not null && remaining <= TimeSpan.Zero)
                {
                    return await CallAsync(TryTakeAsync, cancellationToken).ConfigureAwait(false);
                }

                var slice = deadline is null || remaining > Slice ? Slice : remaining;
                var take = CallAsync(() => TakeBlockingAsync(dedicated, Math.Max(0.01, slice.TotalSeconds)), CancellationToken.None);
                try
                {
                    var raw = await take.WaitAsync(cancellationToken).ConfigureAwait(false);
                    if (!raw.IsNull)
                    {
                        return raw;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The blocked command may still deliver an item: put it back, then free the connection.
                    returned = true;
                    _ = take.ContinueWith(
                        async finished =>
                        {
                            if (finished.IsCompletedSuccessfully && !finished.Result.IsNull)
                            {
                                await PutBackAsync(finished.Result).ConfigureAwait(false);
                            }

                            _blocking.Return(dedicated);
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default).Unwrap();
                    throw;
                }
            }
        }
        finally
        {
            if (!returned)
            {
                _blocking.Return(dedicated);
            }
        }
    }

    // Blocked putters of a bounded queue wait for this instead of polling.
    private void AnnounceSpace()
    {
        if (MaxSize > 0)
        {
            Database.Publish(_spaceChannel, string.Empty, CommandFlags.FireAndForget);
        }
    }

    private async Task WaitForSpaceAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            await Database.Multiplexer.GetSubscriber().SubscribeAsync(_spaceChannel, (_, _) =>
            {
                if (_space.CurrentCount == 0)
                {
                    _space.Release();
                }
            }).ConfigureAwait(false);
        }

        // A getter may announce space between our failed push and the subscription; the bounded
        // wait makes that a short delay, not a hang.
        var wait = remaining == Timeout.InfiniteTimeSpan || remaining > Slice ? Slice : remaining;
        await _space.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
    }
}

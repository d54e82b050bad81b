using System.Globalization;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A first-in, first-out queue with at-least-once delivery and Python's <c>queue.Queue</c> semantics
/// (an optional <see cref="RedisQueueBase{T, TTaken}.Capacity"/>, <c>task_done</c> as
/// <see cref="Acknowledge"/>, <see cref="Join"/>). A dequeue hands out a <see cref="QueueDelivery{T}"/>:
/// the item stays in flight until that delivery is acknowledged. An item whose delivery is not
/// acknowledged within <see cref="VisibilityTimeout"/> (its consumer died, or the reply of the take
/// was lost) is handed out again, before any waiting item, as its next delivery; after
/// <see cref="MaxDeliveries"/> deliveries it goes to the dead-letter list instead.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// <para>Each item gets a random id when enqueued. The key is a list of waiting envelopes
/// (<c>&lt;id&gt;:&lt;item&gt;</c>); deliveries in flight are a hash of items by id (the
/// <c>in-flight</c> helper key, see <see cref="DerivedKey"/>) and a sorted set of receipts
/// <c>&lt;id&gt;:&lt;delivery count&gt;</c> scored by the server time at which they may be handed out
/// again (<c>visible-at</c>). An acknowledgement removes exactly its receipt, so it finishes exactly
/// the delivery it names: one whose timeout passed and that was handed out again is no longer
/// acknowledged by it (<see cref="Acknowledge"/> says so). Every step is one Lua script, and every
/// key is in the queue's hash slot.</para>
/// <para><see cref="RedisQueueBase{T, TTaken}.Capacity"/> bounds the items waiting, delayed ones
/// included, as Python's <c>maxsize</c> does: deliveries in flight (and those waiting to be handed
/// out again) never count, since only an enqueue adds to the waiting list. The acknowledgement that
/// leaves nothing waiting, delayed or in flight announces it on <c>&lt;key&gt;:done</c>, which wakes
/// every <see cref="Join"/>.</para>
/// <para>A take abandoned at its deadline or by cancellation after its command went out gives its
/// delivery back, uncounted, as soon as the reply comes; if the reply never comes, the visibility
/// timeout hands the item out again.</para>
/// <para><b>Delayed delivery.</b> <c>Enqueue(item, delay)</c> and <c>Enqueue(item, dueTime)</c> (and their
/// <c>TryEnqueue</c> and async forms) store an item that no take receives before it is due by the
/// server's clock. Delayed envelopes wait in a sorted set scored by their due time in server
/// milliseconds (the <c>delayed</c> helper key, with a <c>delayed-sequence</c> that orders equal due
/// times by arrival); every take and enqueue script first moves the due ones to the tail of the
/// waiting list, earliest first, so they are taken like any other item and no extra process is
/// needed. A waiting take pauses at most until the first delayed item is due, and an enqueue whose
/// item is due before every other delayed one wakes every waiter so that each shortens its pause.
/// Delayed items count against <see cref="RedisQueueBase{T, TTaken}.Capacity"/> and in
/// <see cref="RedisQueueBase{T, TTaken}.Count"/> (so a take may find nothing while the count is not
/// zero; <see cref="DelayedCount"/> says how many are still delayed), and they are unfinished work:
/// <see cref="Join"/> waits for them to be delivered and acknowledged.</para>
/// </remarks>
public sealed class RedisQueue<T> : RedisQueueBase<T, QueueDelivery<T>>
{
    /// <summary>How long a delivery stays in flight without an acknowledgement by default: 30 s.</summary>
    public static readonly TimeSpan DefaultVisibilityTimeout = TimeSpan.FromSeconds(30);

    private const string DoneSuffix = ":done";
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromMilliseconds(int.MaxValue);
    private readonly RedisKey _inFlight;
    private readonly RedisKey _visibleAt;
    private readonly RedisKey _delayed;
    private readonly RedisKey _delayedSequence;
    private readonly RedisKey[] _takeKeys;
    private readonly RedisValue[] _takeValues;
    private readonly bool _ownsDeadLetters;

    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix and database number apply to every command.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="capacity">The most items waiting (Python's <c>maxsize</c>), delayed ones included; 0 for no bound. Deliveries in flight do not count.</param>
    /// <param name="visibilityTimeout">How long a delivery stays in flight without an acknowledgement before its item is handed out again; <see cref="DefaultVisibilityTimeout"/> by default.</param>
    /// <param name="maxDeliveries">How many times an item is handed out before it goes to the dead-letter list; 0 (the default) for no limit.</param>
    /// <param name="deadLetterKey">The list that items go to after <paramref name="maxDeliveries"/> deliveries; the queue's <c>dead-letter</c> helper key by default. It must be in the queue's hash slot.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> or <paramref name="maxDeliveries"/> is negative, or <paramref name="visibilityTimeout"/> is not positive or is longer than about 24.8 days.</exception>
    /// <exception cref="ArgumentException"><paramref name="deadLetterKey"/> is not in the queue's hash slot.</exception>
    public RedisQueue(IDatabase database, RedisKey? key = null, int capacity = 0, TimeSpan? visibilityTimeout = null, int maxDeliveries = 0, RedisKey? deadLetterKey = null, IRedisCodec<T>? codec = null)
        : base(database, key, codec, capacity)
    {
        VisibilityTimeout = visibilityTimeout ?? DefaultVisibilityTimeout;
        if (VisibilityTimeout.TotalMilliseconds < 1 || VisibilityTimeout > LongestTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), VisibilityTimeout, "The visibility timeout must be at least 1 ms and at most int.MaxValue milliseconds.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxDeliveries);
        MaxDeliveries = maxDeliveries;
        _ownsDeadLetters = deadLetterKey is null;
        DeadLetterKey = deadLetterKey ?? DerivedKey.For(Key, "dead-letter");
        if (HashSlot.Of(DeadLetterKey) != HashSlot.Of(Key))
        {
            throw new ArgumentException($"The dead-letter list '{DeadLetterKey}' must be in the hash slot of the queue '{Key}', so that one script can move items between them on Redis Cluster; give it the hash tag {{{TemporaryKey.SameSlotTag(Key)}}}.", nameof(deadLetterKey));
        }

        _inFlight = DerivedKey.For(Key, "in-flight");
        _visibleAt = DerivedKey.For(Key, "visible-at");
        _delayed = DerivedKey.For(Key, "delayed");
        _delayedSequence = DerivedKey.For(Key, "delayed-sequence");
        _takeKeys = [Key, _inFlight, _visibleAt, DeadLetterKey, _delayed, _delayedSequence];
        _takeValues = [(long)VisibilityTimeout.TotalMilliseconds, MaxDeliveries, DoneSuffix, ItemsSuffix];
    }

    /// <summary>How long a delivery stays in flight without an acknowledgement before its item is handed out again.</summary>
    public TimeSpan VisibilityTimeout { get; }

    /// <summary>How many times an item is handed out before it goes to <see cref="DeadLetterKey"/>; 0 for no limit.</summary>
    public int MaxDeliveries { get; }

    /// <summary>The list (of items, in this queue's codec) that items go to after <see cref="MaxDeliveries"/> deliveries; read it with a <see cref="RedisList{T}"/>.</summary>
    public RedisKey DeadLetterKey { get; }

    /// <summary>How many deliveries are in flight: handed out, not acknowledged, not dead-lettered (some may be waiting to be handed out again).</summary>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public int InFlightCount => Sync.Wait(InFlightCountAsync());

    /// <summary>How many delayed items have not joined the waiting ones yet: those not due, and those due since the last take or enqueue (the next one moves them into line).</summary>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public int DelayedCount => Sync.Wait(DelayedCountAsync());

    /// <inheritdoc />
    private protected override string EntryShape => "an envelope <id>:<item> of a RedisQueue";

    /// <summary>How many deliveries are in flight: handed out, not acknowledged, not dead-lettered.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<int> InFlightCountAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return CallAsync(_visibleAt, static (d, _, visibleAt) => d.SortedSetLengthAsync(visibleAt), static (length, _, _) => (int)length, cancellationToken);
    }

    /// <summary>How many delayed items have not joined the waiting ones yet: those not due, and those due since the last take or enqueue.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<int> DelayedCountAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return CallAsync(_delayed, static (d, _, delayed) => d.SortedSetLengthAsync(delayed), static (length, _, _) => (int)length, cancellationToken);
    }

    /// <summary>
    /// Adds an item that no take receives before <paramref name="delay"/> has passed on the server's
    /// clock, waiting for space in a full bounded queue as long as it takes (a delayed item counts
    /// against <see cref="RedisQueueBase{T, TTaken}.Capacity"/> from the start).
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="delay">How long after the server stores it the item may first be taken; <see cref="TimeSpan.Zero"/> for at once.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public void Enqueue(T item, TimeSpan delay) => Sync.Wait(EnqueueAsync(item, delay));

    /// <summary>Adds an item that no take receives before <paramref name="delay"/> has passed on the server's clock, waiting for space as long as it takes.</summary>
    /// <param name="item">The item.</param>
    /// <param name="delay">How long after the server stores it the item may first be taken; <see cref="TimeSpan.Zero"/> for at once.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>A task that completes when the item is in the queue.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public async ValueTask EnqueueAsync(T item, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var due = QueueDue.After(delay);
        await PushAsync(Codec.Encode(item), 0, Deadline.Never, cancellationToken, due).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds an item that no take receives before <paramref name="dueTime"/> by the server's clock,
    /// waiting for space in a full bounded queue as long as it takes; a time already past is due at once.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="dueTime">When the item may first be taken, compared with the server's clock.</param>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public void Enqueue(T item, DateTimeOffset dueTime) => Sync.Wait(EnqueueAsync(item, dueTime));

    /// <summary>Adds an item that no take receives before <paramref name="dueTime"/> by the server's clock, waiting for space as long as it takes.</summary>
    /// <param name="item">The item.</param>
    /// <param name="dueTime">When the item may first be taken, compared with the server's clock; a time already past is due at once.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>A task that completes when the item is in the queue.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public async ValueTask EnqueueAsync(T item, DateTimeOffset dueTime, CancellationToken cancellationToken = default) =>
        await PushAsync(Codec.Encode(item), 0, Deadline.Never, cancellationToken, QueueDue.At(dueTime)).ConfigureAwait(false);

    /// <summary>Adds an item that no take receives before <paramref name="delay"/> has passed on the server's clock, if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="delay">How long after the server stores it the item may first be taken; <see cref="TimeSpan.Zero"/> for at once.</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative, or <paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public bool TryEnqueue(T item, TimeSpan delay, TimeSpan timeout) => Sync.Wait(TryEnqueueAsync(item, delay, timeout));

    /// <summary>Adds an item that no take receives before <paramref name="delay"/> has passed on the server's clock, if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="delay">How long after the server stores it the item may first be taken; <see cref="TimeSpan.Zero"/> for at once.</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative, or <paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<bool> TryEnqueueAsync(T item, TimeSpan delay, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var due = QueueDue.After(delay);
        return PushAsync(Codec.Encode(item), 0, Deadline.After(timeout), cancellationToken, due);
    }

    /// <summary>Adds an item that no take receives before <paramref name="dueTime"/> by the server's clock, if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="dueTime">When the item may first be taken, compared with the server's clock; a time already past is due at once.</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public bool TryEnqueue(T item, DateTimeOffset dueTime, TimeSpan timeout) => Sync.Wait(TryEnqueueAsync(item, dueTime, timeout));

    /// <summary>Adds an item that no take receives before <paramref name="dueTime"/> by the server's clock, if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="dueTime">When the item may first be taken, compared with the server's clock; a time already past is due at once.</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<bool> TryEnqueueAsync(T item, DateTimeOffset dueTime, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        PushAsync(Codec.Encode(item), 0, Deadline.After(timeout), cancellationToken, QueueDue.At(dueTime));

    /// <summary>
    /// Finishes the item of <paramref name="delivery"/> (Python's <c>task_done()</c>, for exactly this
    /// delivery): it leaves the queue for good.
    /// </summary>
    /// <param name="delivery">A delivery from this queue.</param>
    /// <returns>
    /// <see langword="true"/> when it was acknowledged; <see langword="false"/> when it was not in
    /// flight any more: acknowledged already, dead-lettered, or handed out again after its visibility
    /// timeout (that later delivery is acknowledged with its own <see cref="QueueDelivery{T}"/>).
    /// </returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public bool Acknowledge(QueueDelivery<T> delivery) => Sync.Wait(AcknowledgeAsync(delivery));

    /// <summary>Finishes the item of <paramref name="delivery"/> (Python's <c>task_done()</c>, for exactly this delivery).</summary>
    /// <param name="delivery">A delivery from this queue.</param>
    /// <param name="cancellationToken">Stops waiting for the reply; the acknowledgement may still be made.</param>
    /// <returns>Whether it was acknowledged; see <see cref="Acknowledge"/>.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<bool> AcknowledgeAsync(QueueDelivery<T> delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ThrowIfDisposed();
        return EvaluateAsync(QueueScripts.Acknowledge, [Key, _inFlight, _visibleAt, _delayed], [delivery.Receipt, delivery.Id, DoneSuffix], 0, static (done, _, _) => (long)done == 1, cancellationToken);
    }

    /// <summary>
    /// Hands the item of <paramref name="delivery"/> out again at once, before any waiting item, as
    /// its next delivery (which counts towards <see cref="MaxDeliveries"/>): for a consumer that cannot
    /// process it now.
    /// </summary>
    /// <param name="delivery">A delivery from this queue.</param>
    /// <returns>Whether it was still in flight.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public bool Abandon(QueueDelivery<T> delivery) => Sync.Wait(AbandonAsync(delivery));

    /// <summary>Hands the item of <paramref name="delivery"/> out again at once, as its next delivery.</summary>
    /// <param name="delivery">A delivery from this queue.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was still in flight.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<bool> AbandonAsync(QueueDelivery<T> delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ThrowIfDisposed();
        return ReleaseAsync(delivery.Receipt, delivery.Receipt, cancellationToken);
    }

    /// <summary>
    /// Restarts the visibility timeout of <paramref name="delivery"/> from now, for work that takes
    /// longer than <see cref="VisibilityTimeout"/>.
    /// </summary>
    /// <param name="delivery">A delivery from this queue.</param>
    /// <returns>Whether it was still in flight (if not, its item may be with another consumer).</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public bool Extend(QueueDelivery<T> delivery) => Sync.Wait(ExtendAsync(delivery));

    /// <summary>Restarts the visibility timeout of <paramref name="delivery"/> from now.</summary>
    /// <param name="delivery">A delivery from this queue.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was still in flight.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<bool> ExtendAsync(QueueDelivery<T> delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ThrowIfDisposed();
        return EvaluateAsync(QueueScripts.Extend, [_visibleAt], [delivery.Receipt, (long)VisibilityTimeout.TotalMilliseconds], 0, static (done, _, _) => (long)done == 1, cancellationToken);
    }

    /// <summary>
    /// Waits until nothing is waiting, delayed or in flight: every item enqueued has been acknowledged
    /// or dead-lettered (Python's <c>join()</c>).
    /// </summary>
    /// <exception cref="RedisUnavailableException">The server could not be reached.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public void Join() => Sync.Wait(JoinAsync());

    /// <summary>Waits until nothing is waiting, delayed or in flight (Python's <c>join()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when all work is done.</returns>
    /// <exception cref="RedisUnavailableException">The server could not be reached.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public async ValueTask JoinAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (!await AllDoneAsync(cancellationToken).ConfigureAwait(false))
        {
            await WaitForAsync(DoneSuffix, WakeMode.All, Deadline.Never, this, static (q, t) => q.AllDoneAsync(t), static done => done, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    private protected override void ReleaseResources()
    {
        if (OwnsKey)
        {
            RedisKey[] helpers = _ownsDeadLetters ? [_inFlight, _visibleAt, _delayed, _delayedSequence, DeadLetterKey] : [_inFlight, _visibleAt, _delayed, _delayedSequence];
            Sync.Wait(CallAsync(helpers, static (d, _, keys) => d.KeyDeleteAsync(keys, CommandFlags.FireAndForget), CancellationToken.None));
        }
    }

    private protected override ValueTask<int> LengthAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return EvaluateAsync(QueueScripts.EnvelopeCount, [Key, _delayed], [], 0, static (count, _, _) => (int)count, cancellationToken);
    }

    private protected override ValueTask<bool> TryPushAsync(RedisValue item, double priority, QueueDue due) =>
        EvaluateAsync(
            QueueScripts.EnvelopePush,
            [Key, _delayed, _delayedSequence],
            [Capacity, (byte[])[.. RandomId(), .. (byte[])item!], ItemsSuffix, due.Mode, due.Milliseconds, WakeUpChannel.EveryoneMessage],
            this,
            static (held, queue, _) => queue.Stored((long)held),
            CancellationToken.None);

    private protected override ValueTask<QueueTake> TryTakeAsync(CancellationToken cancellationToken) =>
        SendTakeAsync(static (d, _, q) => d.ScriptEvaluateAsync(QueueScripts.Take.Source, ((RedisQueue<T>)q)._takeKeys, ((RedisQueue<T>)q)._takeValues), static reply => Taken(reply), cancellationToken);

    // An item that cannot be decoded stays in flight with its delivery counted, so it is handed out
    // again after the visibility timeout and, with a limit, ends in the dead-letter list.
    private protected override QueueDelivery<T> Deliver(QueueTake taken)
    {
        var id = (string)taken.Receipt!;
        if (taken.DeliveryCount > 1)
        {
            QueueTelemetry.Redelivered(this, id, taken.DeliveryCount);
        }

        return new(Codec.DecodeAt(taken.Item, Key, "(an item)"), id, taken.DeliveryCount);
    }

    /// <inheritdoc />
    private protected override void ReportDeadLetters(string[] itemIds) =>
        QueueTelemetry.DeadLettered(this, itemIds, DeadLetterKey.ToString(), MaxDeliveries);

    // A delivery that reached nobody goes back uncounted, first in line.
    private protected override async ValueTask<bool> TryRestoreAsync(QueueTake taken)
    {
        var id = (string)taken.Receipt!;
        await EvaluateEvenIfDisposedAsync(QueueScripts.Release, [Key, _visibleAt], [Receipt(id, taken.DeliveryCount), Receipt(id, taken.DeliveryCount - 1), ItemsSuffix], 0, static (_, _, _) => 0).ConfigureAwait(false);
        return true;
    }

    private static QueueTake Taken(RedisResult reply)
    {
        if (reply.Length < 0)
        {
            return Nothing((long)reply, null);
        }

        var taken = (RedisResult[])reply!;
        return taken.Length switch
        {
            1 => QueueTake.Malformed((RedisValue)taken[0]),
            2 => Nothing((long)taken[0], (string[])taken[1]!),
            _ => QueueTake.Of((RedisValue)taken[2], (RedisValue)taken[0], (int)taken[1], taken.Length > 3 ? (string[])taken[3]! : null),
        };

        static QueueTake Nothing(long due, string[]? deadLettered) => QueueTake.None(due < 0 ? null : TimeSpan.FromMilliseconds(due), deadLettered);
    }

    private static string Receipt(string id, int deliveryCount) => id + ":" + deliveryCount.ToString(CultureInfo.InvariantCulture);

    // An id (letters and digits) and the colon that ends it.
    private static byte[] RandomId() => System.Text.Encoding.ASCII.GetBytes(RandomKey.Suffix() + ":");

    private ValueTask<bool> ReleaseAsync(string receipt, string next, CancellationToken cancellationToken) =>
        EvaluateAsync(QueueScripts.Release, [Key, _visibleAt], [receipt, next, ItemsSuffix], 0, static (done, _, _) => (long)done == 1, cancellationToken);

    private ValueTask<bool> AllDoneAsync(CancellationToken cancellationToken) =>
        CallAsync((RedisKey[])[Key, _visibleAt, _delayed], static (d, _, keys) => d.KeyExistsAsync(keys), static (left, _, _) => left == 0, cancellationToken);
}

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
/// <typeparam name="TTaken">What a take hands out: the item itself, or for <see cref="RedisQueue{T}"/> a <see cref="QueueDelivery{T}"/> to acknowledge.</typeparam>
/// <remarks>
/// <para>Every command goes to the database given to the constructor, so its key prefix
/// (<c>WithKeyPrefix</c>), database number and connection settings apply; no call blocks a
/// connection. A call that must wait tries a non-blocking command; when that fails it listens for
/// the queue's announcement (<c>&lt;key&gt;:items</c> when an item is stored,
/// <c>&lt;key&gt;:space</c> when a bounded queue frees a slot), tries once more, then waits for a
/// wake-up and tries again. It also retries after a pause without one, since pub/sub loses messages
/// while a connection is down. The listening ends with the call, so nothing stays subscribed once
/// no call waits.</para>
/// <para>A timeout is a deadline for the whole call, server round trips included: a dequeue returns
/// by its deadline even from a server that does not answer, and so does a cancelled one. A take
/// command it leaves behind still runs; what that take removes reaches nobody, so it goes back:
/// to the front of a FIFO queue, the top of a LIFO queue, its place in a priority queue (waiting for
/// space like an enqueue if the queue filled meanwhile), and for <see cref="RedisQueue{T}"/> to the
/// head of the line as an undelivered item. An enqueue stops waiting for space at its deadline or
/// when cancelled, but a command it has sent is waited for, so that its answer is known: a
/// cancelled or refused enqueue stored nothing.</para>
/// <para>A take never destroys what it cannot hand over: an item the codec cannot decode is put back
/// before the <see cref="CodecException"/> reaches the caller.</para>
/// </remarks>
public abstract class RedisQueueBase<T, TTaken> : RedisObject
{
    /// <summary>The channel suffix on which stored items are announced.</summary>
    private protected const string ItemsSuffix = ":items";

    /// <summary>The channel suffix on which a bounded queue announces a freed slot.</summary>
    private protected const string SpaceSuffix = ":space";

    // Timers take at most int.MaxValue milliseconds.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);
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

    /// <summary>The most items waiting in the queue (Python's <c>maxsize</c>); 0 when unbounded.</summary>
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
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, LongestTimer);
            _retryPause = value;
        }
    }

    /// <summary>How items are stored.</summary>
    private protected IRedisCodec<T> Codec { get; }

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.List;

    /// <summary>What an entry of this queue looks like in Redis, named when the next one has another shape.</summary>
    private protected virtual string EntryShape => "a queue entry";

    /// <summary>Adds an item, waiting for space in a full bounded queue as long as it takes (Python's <c>put(item)</c>).</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public void Enqueue(T item) => Sync.Wait(EnqueueAsync(item));

    /// <summary>Adds an item, waiting for space in a full bounded queue as long as it takes (Python's <c>put(item)</c>).</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>A task that completes when the item is in the queue.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
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
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public bool TryEnqueue(T item, TimeSpan timeout) => Sync.Wait(TryEnqueueAsync(item, timeout));

    /// <summary>Adds an item if there is space within <paramref name="timeout"/>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="timeout">How long to wait for space: <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting; a cancelled call stored nothing.</param>
    /// <returns>Whether the item was added; <see langword="false"/> when the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<bool> TryEnqueueAsync(T item, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        PushAsync(Codec.Encode(item), 0, Deadline.After(timeout), cancellationToken);

    /// <summary>Takes the next item, waiting for one as long as it takes (Python's <c>get()</c>).</summary>
    /// <returns>The item, or for <see cref="RedisQueue{T}"/> its delivery.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public TTaken Dequeue() => Sync.Wait(DequeueAsync());

    /// <summary>Takes the next item, waiting for one as long as it takes (Python's <c>get()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting, at once; a cancelled call took nothing.</param>
    /// <returns>The item, or for <see cref="RedisQueue{T}"/> its delivery.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public async ValueTask<TTaken> DequeueAsync(CancellationToken cancellationToken = default) =>
        (await TakeAsync(Deadline.Never, cancellationToken).ConfigureAwait(false)).Item!;

    /// <summary>
    /// Takes the next item if one comes within <paramref name="timeout"/> (Python's <c>get(timeout=…)</c>;
    /// with no timeout, <c>get_nowait()</c>).
    /// </summary>
    /// <param name="item">The item (for <see cref="RedisQueue{T}"/> its delivery), when one came.</param>
    /// <param name="timeout">How long the call may take: <see cref="TimeSpan.Zero"/> (the default) one command and no wait, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <returns>Whether an item came.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public bool TryDequeue([MaybeNullWhen(false)] out TTaken item, TimeSpan timeout = default)
    {
        var (found, taken) = Sync.Wait(TryDequeueAsync(timeout));
        item = taken!;
        return found;
    }

    /// <summary>Takes the next item if one comes within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the call may take: <see cref="TimeSpan.Zero"/> (the default) one command and no wait, <see cref="Timeout.InfiniteTimeSpan"/> as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting, at once; a cancelled call took nothing.</param>
    /// <returns>Whether an item came, and the item (for <see cref="RedisQueue{T}"/> its delivery).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<(bool Found, TTaken? Item)> TryDequeueAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TakeAsync(Deadline.After(timeout), cancellationToken);

    /// <summary>The number of items waiting (Python's <c>qsize()</c>); approximate while others use the queue.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) => LengthAsync(cancellationToken);

    /// <summary>Whether no item is waiting (Python's <c>empty()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the queue is empty.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public async ValueTask<bool> IsEmptyAsync(CancellationToken cancellationToken = default) =>
        await LengthAsync(cancellationToken).ConfigureAwait(false) == 0;

    /// <summary>Whether a bounded queue holds <see cref="Capacity"/> items (Python's <c>full()</c>); never for an unbounded one.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the queue is full.</returns>
    /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
    public async ValueTask<bool> IsFullAsync(CancellationToken cancellationToken = default) =>
        Capacity > 0 && await LengthAsync(cancellationToken).ConfigureAwait(false) >= Capacity;

    /// <summary>Stores an item, waiting for space until <paramref name="deadline"/>.</summary>
    /// <param name="item">The encoded item.</param>
    /// <param name="priority">Its priority, for queues that have them.</param>
    /// <param name="deadline">When to stop waiting for space.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <param name="due">When it may first be taken, for queues that delay items; at once by default.</param>
    /// <returns>Whether it was stored.</returns>
    private protected async ValueTask<bool> PushAsync(RedisValue item, double priority, Deadline deadline, CancellationToken cancellationToken, QueueDue due = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (await TryPushAsync(item, priority, due).ConfigureAwait(false))
        {
            return true;
        }

        if (deadline.IsNow)
        {
            return false;
        }

        using var bounded = deadline.Bound(cancellationToken);
        try
        {
            return await WaitForAsync(
                SpaceSuffix,
                WakeMode.One,
                deadline,
                (Queue: this, Item: item, Priority: priority, Due: due),
                static (s, _) => s.Queue.TryPushAsync(s.Item, s.Priority, s.Due),
                static stored => stored,
                null,
                bounded?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Deadline.Reached(bounded, cancellationToken))
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or <paramref name="deadline"/> passes, woken
    /// by announcements on <see cref="RedisObject.Key"/>'s channel <paramref name="suffix"/>; for a
    /// caller whose first attempt already failed. Returns the last attempt's result.
    /// </summary>
    /// <param name="suffix">The channel suffix to listen on.</param>
    /// <param name="mode">Whom one announcement wakes.</param>
    /// <param name="deadline">When to give up.</param>
    /// <param name="state">What <paramref name="attempt"/> needs.</param>
    /// <param name="attempt">One try, given the token that ends the call.</param>
    /// <param name="succeeded">Whether a try succeeded.</param>
    /// <param name="nextDue">How soon to try again at the latest after a failed try, if sooner than <see cref="RetryPause"/>.</param>
    /// <param name="cancellationToken">Ends the call, at the deadline too where there is one.</param>
    private protected ValueTask<TResult> WaitForAsync<TState, TResult>(string suffix, WakeMode mode, Deadline deadline, TState state, Func<TState, CancellationToken, ValueTask<TResult>> attempt, Func<TResult, bool> succeeded, Func<TResult, TimeSpan?>? nextDue, CancellationToken cancellationToken) =>
        WakeUpWait.UntilAsync(Database, Key, suffix, mode, deadline, RetryPause, state, attempt, succeeded, nextDue, cancellationToken);

    /// <summary>The number of items waiting.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    private protected virtual ValueTask<int> LengthAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return CallAsync(0, static (d, k, _) => d.ListLengthAsync(k), static (length, _, _) => (int)length, cancellationToken);
    }

    /// <summary>Runs <paramref name="script"/> (<see cref="QueueScripts.Push"/> or <see cref="QueueScripts.PushFront"/>) to store an item in the list unless it is full.</summary>
    /// <param name="script">Which end the item goes to.</param>
    /// <param name="item">The encoded item.</param>
    /// <returns>Whether it was stored.</returns>
    private protected ValueTask<bool> ListPushAsync(RedisScript script, RedisValue item) =>
        EvaluateAsync(script, [Key], [Capacity, item, ItemsSuffix], this, static (length, queue, _) => queue.Stored((long)length), CancellationToken.None);

    /// <summary>Reads a push script's reply: how many items wait once it stored one (reported as the queue's depth), 0 when full.</summary>
    /// <param name="waiting">The script's reply.</param>
    /// <returns>Whether it stored the item.</returns>
    private protected bool Stored(long waiting)
    {
        if (waiting > 0)
        {
            QueueTelemetry.Depth(this, waiting);
        }

        return waiting > 0;
    }

    /// <summary>Gives an item back to the list with <paramref name="script"/> unless it is full, even once the queue was disposed.</summary>
    /// <param name="script">Which end the item goes to.</param>
    /// <param name="item">The encoded item.</param>
    /// <returns>Whether it is back.</returns>
    private protected ValueTask<bool> ListGiveBackAsync(RedisScript script, RedisValue item) =>
        EvaluateEvenIfDisposedAsync(script, [Key], [Capacity, item, ItemsSuffix], 0, static (length, _, _) => (long)length > 0);

    /// <summary>
    /// Stores an item unless the queue is full and announces it, atomically, with one command that
    /// is never abandoned once sent (its reply says whether the item is in).
    /// </summary>
    /// <param name="item">The encoded item.</param>
    /// <param name="priority">Its priority; ignored by queues without them.</param>
    /// <param name="due">When it may first be taken; only <see cref="RedisQueue{T}"/> is given other than <see cref="QueueDue.Now"/>.</param>
    /// <returns>Whether it was stored.</returns>
    private protected abstract ValueTask<bool> TryPushAsync(RedisValue item, double priority, QueueDue due);

    /// <summary>Takes the next item with one non-blocking command sent through <see cref="SendTakeAsync"/>.</summary>
    /// <param name="cancellationToken">Abandons the command: what it takes then goes back.</param>
    /// <returns>What it took.</returns>
    private protected abstract ValueTask<QueueTake> TryTakeAsync(CancellationToken cancellationToken);

    /// <summary>Reports the items a take moved to the dead-letter list (only <see cref="RedisQueue{T}"/> has one).</summary>
    /// <param name="itemIds">Their ids.</param>
    private protected virtual void ReportDeadLetters(string[] itemIds)
    {
    }

    /// <summary>Turns what a take brought into what the caller gets; an item that cannot be decoded is restored and the error thrown.</summary>
    /// <param name="taken">A take that found an item.</param>
    /// <returns>The item, or its delivery.</returns>
    private protected abstract TTaken Deliver(QueueTake taken);

    /// <summary>
    /// Gives back what a take removed but nobody received, unless the queue is full (for a bounded
    /// queue: then <see cref="RestoreAsync"/> waits for space like an enqueue).
    /// </summary>
    /// <param name="taken">What the take brought.</param>
    /// <returns>Whether it is back (or needs no giving back any more).</returns>
    private protected abstract ValueTask<bool> TryRestoreAsync(QueueTake taken);

    /// <summary>
    /// Sends a take command that the caller may abandon: if <paramref name="cancellationToken"/> ends
    /// the wait after the command went out, whatever the command takes is restored when its reply comes.
    /// </summary>
    /// <typeparam name="TReply">The command's reply.</typeparam>
    /// <param name="send">Sends the command; a static lambda.</param>
    /// <param name="read">Reads the reply; a static lambda.</param>
    /// <param name="cancellationToken">Abandons the wait for the reply.</param>
    /// <returns>What the command took.</returns>
    private protected ValueTask<QueueTake> SendTakeAsync<TReply>(Func<IDatabase, RedisKey, RedisQueueBase<T, TTaken>, Task<TReply>> send, Func<TReply, QueueTake> read, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? SendAbandonableTakeAsync(send, read, cancellationToken)
            : CallAsync((Queue: this, Send: send, Read: read), static (d, k, s) => s.Send(d, k, s.Queue), static (reply, s, _) => s.Read(reply), CancellationToken.None);

    /// <summary>
    /// Gives back what a take removed but nobody received, waiting for space if the queue is full and
    /// retrying through server trouble: until it is back, this process alone holds it. Ends early only
    /// when the queue's random key was deleted with the queue.
    /// </summary>
    /// <param name="taken">What the take brought.</param>
    /// <returns>A task that completes when it is back.</returns>
    private protected async Task RestoreAsync(QueueTake taken)
    {
        while (!(IsDisposed && OwnsKey))
        {
            try
            {
                if (await TryRestoreAsync(taken).ConfigureAwait(false))
                {
                    return;
                }

                await WaitForAsync(SpaceSuffix, WakeMode.One, Deadline.Never, (Queue: this, Taken: taken), static (s, _) => s.Queue.IsDisposed && s.Queue.OwnsKey ? ValueTask.FromResult(true) : s.Queue.TryRestoreAsync(s.Taken), static back => back, null, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (PotteryException)
            {
                // Server trouble: it stays here until the server takes it back.
            }
            catch (ObjectDisposedException)
            {
                // The connection was closed: nothing can take it back any more.
                return;
            }

            await Task.Delay(RetryPause).ConfigureAwait(false);
        }
    }

    /// <summary>Decodes a taken item; one that cannot be decoded goes back before the error is thrown.</summary>
    /// <param name="taken">What the take brought.</param>
    /// <returns>The item.</returns>
    /// <exception cref="CodecException">The item cannot be decoded; it was put back.</exception>
    private protected T DecodeOrRestore(QueueTake taken)
    {
        try
        {
            return Codec.DecodeAt(taken.Item, Key, "(an item)");
        }
        catch (CodecException)
        {
            _ = RestoreAsync(taken);
            throw;
        }
    }

    private async ValueTask<QueueTake> SendAbandonableTakeAsync<TReply>(Func<IDatabase, RedisKey, RedisQueueBase<T, TTaken>, Task<TReply>> send, Func<TReply, QueueTake> read, CancellationToken cancellationToken)
    {
        var sent = new SentCommand<TReply>();
        try
        {
            return await CallAsync(
                (Queue: this, Send: send, Read: read, Sent: sent),
                static (d, k, s) => s.Sent.Hold(s.Send(d, k, s.Queue)),
                static (reply, s, _) => s.Read(reply),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (sent.Command is { } command)
        {
            // The command went out and will run: what it takes reaches nobody, so it goes back.
            _ = RestoreLateAsync(command, read);
            throw;
        }
    }

    private async Task RestoreLateAsync<TReply>(Task<TReply> command, Func<TReply, QueueTake> read)
    {
        QueueTake taken;
        try
        {
            taken = read(await command.ConfigureAwait(false));
        }
        catch (RedisException)
        {
            // It took nothing, or its connection died with the reply: nothing to give back.
            return;
        }

        if (taken.DeadLettered is { } dead)
        {
            ReportDeadLetters(dead);
        }

        if (taken.Found)
        {
            await RestoreAsync(taken).ConfigureAwait(false);
        }
    }

    // Observed (a span, the wait) only while someone listens: otherwise the call is TakeCoreAsync itself.
    private ValueTask<(bool Found, TTaken? Item)> TakeAsync(Deadline deadline, CancellationToken cancellationToken) =>
        QueueDequeueObservation.Start(this) is { } observation ? ObservedTakeAsync(deadline, observation, cancellationToken) : TakeCoreAsync(deadline, cancellationToken);

    private async ValueTask<(bool Found, TTaken? Item)> ObservedTakeAsync(Deadline deadline, QueueDequeueObservation observation, CancellationToken cancellationToken)
    {
        (bool Found, TTaken? Item) taken;
        try
        {
            taken = await TakeCoreAsync(deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            observation.Threw(error);
            throw;
        }

        observation.Returned(taken.Found);
        return taken;
    }

    private async ValueTask<(bool Found, TTaken? Item)> TakeCoreAsync(Deadline deadline, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        using var bounded = deadline.Bound(cancellationToken);
        var token = bounded?.Token ?? cancellationToken;
        QueueTake taken;
        try
        {
            taken = await TakeAnnouncingSpaceAsync(token).ConfigureAwait(false);
            if (!taken.Found && !taken.IsMalformed && !deadline.IsNow)
            {
                taken = await WaitForAsync(ItemsSuffix, WakeMode.One, deadline, this, static (q, t) => q.TakeAnnouncingSpaceAsync(t), static t => t.Found || t.IsMalformed, static t => t.NextDue, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (Deadline.Reached(bounded, cancellationToken))
        {
            return (false, default);
        }

        if (taken.IsMalformed)
        {
            throw new CodecException(Key.ToString(), "(the next entry)", EntryShape, CodecDecoding.Preview(taken.Receipt));
        }

        return taken.Found ? (true, Deliver(taken)) : (false, default);
    }

    // A take frees a slot that a put may be waiting for.
    private async ValueTask<QueueTake> TakeAnnouncingSpaceAsync(CancellationToken cancellationToken)
    {
        var taken = await TryTakeAsync(cancellationToken).ConfigureAwait(false);
        if (taken.DeadLettered is { } dead)
        {
            ReportDeadLetters(dead);
        }

        if (taken.Found && Capacity > 0)
        {
            WakeUpChannel.Publish(Database, Key, SpaceSuffix);
        }

        return taken;
    }

    // Holds a take command that may be abandoned, for its late reply.
    private sealed class SentCommand<TReply>
    {
        public Task<TReply>? Command { get; private set; }

        public Task<TReply> Hold(Task<TReply> command) => Command = command;
    }
}

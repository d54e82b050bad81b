using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A first-in, first-out queue in a Redis list with Python's <c>queue.Queue</c> semantics (an
/// optional <see cref="RedisQueueBase{T}.Capacity"/>, <see cref="TaskDone"/>, <see cref="Join"/>)
/// and at-least-once delivery: a dequeue moves the item atomically onto this consumer's processing
/// list (<c>LMOVE</c>), where it stays until <see cref="TaskDone"/> acknowledges it, so items of a
/// consumer that died can be handed out again with <see cref="RequeueAbandoned"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// Keys, all in the queue's hash slot: the queue <c>&lt;key&gt;</c>, each consumer's processing list
/// <c>{&lt;key&gt;}:processing:&lt;consumer&gt;</c>, and the count of unfinished items
/// <c>{&lt;key&gt;}:unfinished</c> (incremented by an enqueue, decremented by <see cref="TaskDone"/>).
/// The acknowledgement that finishes the last item announces it on <c>&lt;key&gt;:done</c>, which
/// wakes every <see cref="Join"/>.
/// </remarks>
public sealed class RedisQueue<T> : RedisQueueBase<T>
{
    private const string DoneSuffix = ":done";
    private readonly RedisKey _processing;
    private readonly RedisKey _unfinished;

    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix and database number apply to every command.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="capacity">The most items waiting (Python's <c>maxsize</c>); 0 for no bound. Items being processed do not count.</param>
    /// <param name="consumerId">Names this consumer's processing list; a random id by default. Reuse an id to recover a consumer's work after a restart.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public RedisQueue(IDatabase database, RedisKey? key = null, int capacity = 0, string? consumerId = null, IRedisCodec<T>? codec = null)
        : base(database, key, codec, capacity)
    {
        ConsumerId = consumerId ?? RandomKey.Suffix();
        _processing = Processing(ConsumerId);
        _unfinished = DerivedKey.For(Key, "unfinished");
    }

    /// <summary>This consumer's id, which names its processing list.</summary>
    public string ConsumerId { get; }

    /// <summary>How many items this consumer took and has not acknowledged.</summary>
    public int UnacknowledgedCount => Sync.Wait(UnacknowledgedCountAsync());

    /// <summary>How many items this consumer took and has not acknowledged.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public ValueTask<int> UnacknowledgedCountAsync(CancellationToken cancellationToken = default) =>
        CallAsync(_processing, static (d, _, processing) => d.ListLengthAsync(processing), static (length, _, _) => (int)length, cancellationToken);

    /// <summary>Acknowledges the oldest item this consumer took and has not acknowledged (Python's <c>task_done()</c>).</summary>
    /// <exception cref="InvalidOperationException">This consumer has no unacknowledged item.</exception>
    public void TaskDone() => Sync.Wait(TaskDoneAsync());

    /// <summary>Acknowledges the oldest item this consumer took and has not acknowledged (Python's <c>task_done()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has recorded it.</returns>
    /// <exception cref="InvalidOperationException">This consumer has no unacknowledged item.</exception>
    public async ValueTask TaskDoneAsync(CancellationToken cancellationToken = default)
    {
        var unfinished = await EvaluateAsync(QueueScripts.TaskDone, [_processing, _unfinished, Key], [DoneSuffix], 0, static (left, _, _) => (long)left, cancellationToken).ConfigureAwait(false);
        if (unfinished < 0)
        {
            throw new InvalidOperationException($"TaskDone was called more times than consumer '{ConsumerId}' took items from the queue at Redis key '{Key}'.");
        }
    }

    /// <summary>Waits until every item ever enqueued has been acknowledged with <see cref="TaskDone"/> (Python's <c>join()</c>).</summary>
    public void Join() => Sync.Wait(JoinAsync());

    /// <summary>Waits until every item ever enqueued has been acknowledged with <see cref="TaskDone"/> (Python's <c>join()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when nothing is unfinished.</returns>
    public async ValueTask JoinAsync(CancellationToken cancellationToken = default)
    {
        if (!await AllDoneAsync(cancellationToken).ConfigureAwait(false))
        {
            await WaitForAsync(DoneSuffix, WakeMode.All, Deadline.Never, (Queue: this, Token: cancellationToken), static s => s.Queue.AllDoneAsync(s.Token), static done => done, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the unacknowledged items of consumer <paramref name="consumerId"/> back at the front of the
    /// queue, oldest first, atomically; for consumers known to have died. They stay unfinished.
    /// </summary>
    /// <param name="consumerId">The dead consumer's id.</param>
    /// <returns>How many items were requeued.</returns>
    public long RequeueAbandoned(string consumerId) => Sync.Wait(RequeueAbandonedAsync(consumerId));

    /// <summary>
    /// Puts the unacknowledged items of consumer <paramref name="consumerId"/> back at the front of the
    /// queue, oldest first, atomically; for consumers known to have died. They stay unfinished.
    /// </summary>
    /// <param name="consumerId">The dead consumer's id.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>How many items were requeued.</returns>
    public ValueTask<long> RequeueAbandonedAsync(string consumerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumerId);
        return EvaluateAsync(QueueScripts.Requeue, [Processing(consumerId), Key], [ItemsSuffix], 0, static (moved, _, _) => (long)moved, cancellationToken);
    }

    /// <inheritdoc />
    private protected override void ReleaseResources()
    {
        if (OwnsKey)
        {
            Sync.Wait(CallAsync((RedisKey[])[_processing, _unfinished], static (d, _, keys) => d.KeyDeleteAsync(keys, CommandFlags.FireAndForget), CancellationToken.None));
        }
    }

    private protected override ValueTask<bool> TryPushAsync(RedisValue item, double priority) => ListPushAsync([Key, _unfinished], item);

    private protected override ValueTask<RedisValue> TryTakeAsync() =>
        CallAsync(_processing, static (d, k, processing) => d.ListMoveAsync(k, processing, ListSide.Left, ListSide.Right), static (item, _, _) => item, CancellationToken.None);

    private ValueTask<bool> AllDoneAsync(CancellationToken cancellationToken) =>
        CallAsync(_unfinished, static (d, _, unfinished) => d.StringGetAsync(unfinished), static (left, _, _) => (long)left <= 0, cancellationToken);

    private RedisKey Processing(string consumerId) => DerivedKey.For(Key, "processing:" + consumerId);
}

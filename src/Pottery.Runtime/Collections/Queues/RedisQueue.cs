using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A first-in, first-out queue in a Redis list with Python's <c>queue.Queue</c> semantics (an
/// optional <see cref="RedisQueueBase{T}.MaxSize"/>, <see cref="TaskDone"/>, <see cref="Join"/>)
/// and at-least-once delivery: a get moves the item atomically onto this consumer's processing
/// list (<c>LMOVE</c>/<c>BLMOVE</c>), where it stays until <see cref="TaskDone"/> acknowledges it,
/// so items of a consumer that died can be handed out again with <see cref="RequeueAbandoned"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// Keys, all in the queue's hash slot: the queue <c>&lt;key&gt;</c>, each consumer's processing list
/// <c>{&lt;key&gt;}:processing:&lt;consumer&gt;</c>, and the count of unfinished items
/// <c>{&lt;key&gt;}:unfinished</c> (incremented by a put, decremented by <see cref="TaskDone"/>).
/// </remarks>
public sealed class RedisQueue<T> : RedisQueueBase<T>
{
    private readonly RedisKey _processing;
    private readonly RedisKey _unfinished;
    private readonly RedisChannel _doneChannel;

    /// <summary>Opens the queue at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The queue's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxSize">The most items waiting; 0 or less for no bound.</param>
    /// <param name="consumerId">Names this consumer's processing list; a random id by default. Reuse an id to recover a consumer's work after a restart.</param>
    /// <param name="codec">How items are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="blockingConnection">Opens a dedicated connection for blocking gets; by default one like <paramref name="database"/>'s.</param>
    public RedisQueue(IDatabase database, RedisKey? key = null, int maxSize = 0, string? consumerId = null, IRedisCodec<T>? codec = null, Func<Task<IConnectionMultiplexer>>? blockingConnection = null)
        : base(database, key, codec, maxSize, blockingConnection)
    {
        ConsumerId = consumerId ?? RandomKey.Suffix();
        _processing = Processing(ConsumerId);
        _unfinished = DerivedKey.For(Key, "unfinished");
        _doneChannel = RedisChannel.Literal(DerivedKey.For(Key, "done").ToString());
    }

    /// <summary>This consumer's id, which names its processing list.</summary>
    public string ConsumerId { get; }

    /// <summary>Acknowledges the oldest item this consumer took and has not acknowledged (Python's <c>task_done</c>).</summary>
    /// <exception cref="InvalidOperationException">This consumer has no unacknowledged item.</exception>
    public void TaskDone() => TaskDoneAsync().GetAwaiter().GetResult();

    /// <summary>Acknowledges the oldest item this consumer took and has not acknowledged.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has recorded it.</returns>
    /// <exception cref="InvalidOperationException">This consumer has no unacknowledged item.</exception>
    public async Task TaskDoneAsync(CancellationToken cancellationToken = default)
    {
        var unfinished = (long)await EvaluateAsync(QueueScripts.TaskDone, [_processing, _unfinished], [_doneChannel.ToString()], cancellationToken).ConfigureAwait(false);
        if (unfinished < 0)
        {
            throw new InvalidOperationException($"TaskDone was called more times than consumer '{ConsumerId}' took items from the queue at Redis key '{Key}'.");
        }
    }

    /// <summary>Waits until every item ever put has been acknowledged with <see cref="TaskDone"/> (Python's <c>join</c>).</summary>
    public void Join() => JoinAsync().GetAwaiter().GetResult();

    /// <summary>Waits until every item ever put has been acknowledged; woken by the acknowledgement that finishes the last one.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when nothing is unfinished.</returns>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        using var finished = new SemaphoreSlim(0);
        var subscriber = Database.Multiplexer.GetSubscriber();
        Action<RedisChannel, RedisValue> wake = (_, _) => finished.Release();
        await subscriber.SubscribeAsync(_doneChannel, wake).ConfigureAwait(false);
        try
        {
            while ((long)await CallAsync(() => Database.StringGetAsync(_unfinished), cancellationToken).ConfigureAwait(false) > 0)
            {
                // The message may come before our check; the bounded wait turns that race into a short delay.
                await finished.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(_doneChannel, wake).ConfigureAwait(false);
        }
    }

    /// <summary>How many items this consumer took and has not acknowledged.</summary>
    /// <returns>The count.</returns>
    public int Unacknowledged() => (int)Call(() => Database.ListLength(_processing));

    /// <summary>
    /// Puts the unacknowledged items of consumer <paramref name="consumerId"/> back at the front of the
    /// queue, oldest first, atomically; for consumers known to have died. They stay unfinished.
    /// </summary>
    /// <param name="consumerId">The dead consumer's id.</param>
    /// <returns>How many items were requeued.</returns>
    public long RequeueAbandoned(string consumerId) => (long)Evaluate(QueueScripts.Requeue, [Processing(consumerId), Key], []);

    /// <summary>Puts the unacknowledged items of consumer <paramref name="consumerId"/> back at the front of the queue, atomically.</summary>
    /// <param name="consumerId">The dead consumer's id.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>How many items were requeued.</returns>
    public async Task<long> RequeueAbandonedAsync(string consumerId, CancellationToken cancellationToken = default) =>
        (long)await EvaluateAsync(QueueScripts.Requeue, [Processing(consumerId), Key], [], cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override void ReleaseResources()
    {
        if (OwnsKey)
        {
            Database.KeyDelete([_processing, _unfinished], CommandFlags.FireAndForget);
        }

        base.ReleaseResources();
    }

    private protected override async Task<bool> TryPushAsync(RedisValue element, CancellationToken cancellationToken) =>
        (long)await EvaluateAsync(QueueScripts.Push, [Key, _unfinished], [MaxSize, element], cancellationToken).ConfigureAwait(false) == 1;

    private protected override Task<RedisValue> TryTakeAsync() => Database.ListMoveAsync(Key, _processing, ListSide.Left, ListSide.Right);

    private protected override async Task<RedisValue> TakeBlockingAsync(IDatabase dedicated, double seconds) =>
        (RedisValue)await dedicated.ExecuteAsync("BLMOVE", Key, _processing, "LEFT", "RIGHT", seconds).ConfigureAwait(false);

    private protected override Task PutBackAsync(RedisValue element) => QueueScripts.Unprocess.EvaluateAsync(Database, [_processing, Key], [element]);

    private RedisKey Processing(string consumerId) => DerivedKey.For(Key, "processing:" + consumerId);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// One consumer of a consumer group of a <see cref="RedisReliableTopic{T}"/>: enumerate it, or call
/// <see cref="ReceiveAsync"/>, to receive the group's messages that no other consumer of the group
/// received, and acknowledge each delivery when done with it. Dispose it to stop; that ends an
/// enumeration at once.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>
/// <para>A take fetches up to the subscription's batch size of messages, which are pending for this
/// consumer from then on and handed out one by one; deliveries not acknowledged within the topic's
/// <see cref="RedisReliableTopic{T}.VisibilityTimeout"/> are claimed by a consumer of the group that
/// takes (this one included), as their next delivery. A take runs at least every half visibility
/// timeout while messages keep coming, so claiming is not starved by new messages.</para>
/// <para>Disposing, or cancelling a receive, leaves what was fetched and not handed out pending: the
/// group receives it again after the visibility timeout. Acknowledging needs the topic only, so
/// deliveries may be acknowledged after the subscription was disposed.</para>
/// </remarks>
public sealed class ReliableTopicSubscription<T> : IAsyncEnumerable<ReliableTopicDelivery<T>>, IAsyncDisposable, IDisposable
{
    private readonly RedisReliableTopic<T> _topic;
    private readonly ConcurrentQueue<ReliableTopicTake.Entry> _fetched = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _claimInterval;
    private readonly int _batchSize;
    private string _cursor = "0-0";
    private long _claimDueAt;
    private int _disposed;

    internal ReliableTopicSubscription(RedisReliableTopic<T> topic, string group, string consumer, int batchSize)
    {
        _topic = topic;
        Group = group;
        Consumer = consumer;
        _batchSize = batchSize;
        _claimInterval = (long)(topic.VisibilityTimeout.TotalSeconds / 2 * Stopwatch.Frequency);
    }

    /// <summary>The consumer group.</summary>
    public string Group { get; }

    /// <summary>This consumer's name within the group.</summary>
    public string Consumer { get; }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Receives the next delivery, waiting for one as long as it takes.</summary>
    /// <returns>The delivery; acknowledge it when done.</returns>
    /// <exception cref="CodecException">The next message cannot be decoded; it stays pending, so the group receives it again after the visibility timeout (and dead-letters it after the most deliveries).</exception>
    /// <exception cref="InvalidOperationException">The group does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The subscription or the topic was disposed.</exception>
    public ReliableTopicDelivery<T> Receive() => Sync.Wait(ReceiveAsync());

    /// <summary>Receives the next delivery, waiting for one as long as it takes.</summary>
    /// <param name="cancellationToken">Stops waiting, at once.</param>
    /// <returns>The delivery; acknowledge it when done.</returns>
    /// <exception cref="CodecException">The next message cannot be decoded; it stays pending, so the group receives it again after the visibility timeout (and dead-letters it after the most deliveries).</exception>
    /// <exception cref="InvalidOperationException">The group does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The subscription or the topic was disposed.</exception>
    public async ValueTask<ReliableTopicDelivery<T>> ReceiveAsync(CancellationToken cancellationToken = default) =>
        await ObservedReceiveAsync(cancellationToken).ConfigureAwait(false) ?? throw new ObjectDisposedException(GetType().Name, $"This subscription of consumer '{Consumer}' in group '{Group}' was disposed.");

    /// <summary>Receives deliveries until the subscription is disposed or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The deliveries.</returns>
    /// <exception cref="CodecException">A message cannot be decoded (the enumeration stops there; enumerate again to go on).</exception>
    /// <exception cref="InvalidOperationException">The group does not exist.</exception>
    public async IAsyncEnumerator<ReliableTopicDelivery<T>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        while (await ObservedReceiveAsync(cancellationToken).ConfigureAwait(false) is { } delivery)
        {
            yield return delivery;
        }
    }

    /// <summary>Stops receiving: a waiting receive or enumeration ends at once.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops receiving: a waiting receive or enumeration ends at once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    // A receive in its span while someone listens.
    private ValueTask<ReliableTopicDelivery<T>?> ObservedReceiveAsync(CancellationToken cancellationToken) =>
        TopicSpans.On ? SpannedReceiveAsync(cancellationToken) : ReceiveOrEndAsync(cancellationToken);

    private async ValueTask<ReliableTopicDelivery<T>?> SpannedReceiveAsync(CancellationToken cancellationToken)
    {
        var span = TopicSpans.Receive(_topic.KeyName, _topic.Database.Database, Group);
        try
        {
            var delivery = await ReceiveOrEndAsync(cancellationToken).ConfigureAwait(false);
            TopicSpans.End(span, delivery?.Id);
            return delivery;
        }
        catch (Exception error)
        {
            TopicSpans.End(span, null, error);
            throw;
        }
    }

    // Null once the subscription is disposed.
    private async ValueTask<ReliableTopicDelivery<T>?> ReceiveOrEndAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (IsDisposed)
        {
            return null;
        }

        if (_fetched.TryDequeue(out var fetched))
        {
            return Deliver(fetched);
        }

        CancellationTokenSource linked;
        try
        {
            linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }

        using (linked)
        {
            try
            {
                while (true)
                {
                    if (_fetched.TryDequeue(out var entry))
                    {
                        return Deliver(entry);
                    }

                    if (!(await TakeAsync(linked.Token).ConfigureAwait(false)).Found)
                    {
                        await WakeUpWait.UntilAsync(_topic.Database, _topic.Key, RedisReliableTopic<T>.PublishedSuffix, WakeMode.All, Deadline.Never, _topic.RetryPause, this, static (s, t) => s.TakeAsync(t), static take => take.Found, static take => take.NextDue, linked.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (IsDisposed && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    private ReliableTopicDelivery<T> Deliver(ReliableTopicTake.Entry entry)
    {
        // Counted before decoding: a message that cannot be decoded was delivered all the same, and comes again.
        TopicTelemetry.Delivered(_topic, Group, entry.Id, entry.DeliveryCount);
        return new(_topic, Group, entry.Id, _topic.Decode(entry.Id, entry.Message), entry.DeliveryCount);
    }

    // The take is never abandoned: what it fetched after its caller stopped waiting is kept for the next receive.
    private async ValueTask<ReliableTopicTake> TakeAsync(CancellationToken cancellationToken)
    {
        var claimFirst = Stopwatch.GetTimestamp() >= Volatile.Read(ref _claimDueAt);
        var sending = _topic.TakeAsync(Group, Consumer, _batchSize, claimFirst, _cursor).AsTask();
        try
        {
            var take = await sending.WaitAsync(cancellationToken).ConfigureAwait(false);
            Keep(take, claimFirst);
            return take;
        }
        catch (OperationCanceledException)
        {
            _ = KeepLateAsync(sending, claimFirst);
            throw;
        }
    }

    private async Task KeepLateAsync(Task<ReliableTopicTake> sending, bool claimFirst)
    {
        try
        {
            Keep(await sending.ConfigureAwait(false), claimFirst);
        }
        catch (Exception error) when (error is PotteryException or RedisException or InvalidOperationException or NotSupportedException)
        {
            // It fetched nothing, or its reply was lost: whatever it fetched is pending and claimed after the visibility timeout.
        }
    }

    private void Keep(ReliableTopicTake take, bool claimed)
    {
        TopicTelemetry.DeadLettered(_topic, Group, take.DeadLettered, _topic.DeadLetterKey.ToString(), _topic.MaxDeliveries);
        foreach (var entry in take.Entries)
        {
            _fetched.Enqueue(entry);
        }

        _cursor = (string)take.Cursor!;
        if (claimed || !take.Found)
        {
            Volatile.Write(ref _claimDueAt, Stopwatch.GetTimestamp() + _claimInterval);
        }
    }
}

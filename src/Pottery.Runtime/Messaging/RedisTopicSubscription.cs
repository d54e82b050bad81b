using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A live subscription to a <see cref="RedisTopic{T}"/>: enumerate it (once) to receive the messages,
/// in the order they were published; dispose it to unsubscribe, which ends the enumeration.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class RedisTopicSubscription<T> : IAsyncEnumerable<T>, IAsyncDisposable, IDisposable
{
    private readonly ChannelMessageQueue _queue;
    private readonly string _topic;
    private readonly IRedisCodec<T> _codec;

    internal RedisTopicSubscription(ChannelMessageQueue queue, string topic, IRedisCodec<T> codec) =>
        (_queue, _topic, _codec) = (queue, topic, codec);

    /// <summary>Receives the messages until the subscription is disposed or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The messages.</returns>
    /// <exception cref="CodecException">A message cannot be decoded (the enumeration stops there; the subscription stays).</exception>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var message in _queue.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var value = _codec.DecodeAt(message.Message, _topic, "(a message)");
            TopicTelemetry.Received(_topic);
            yield return value;
        }
    }

    /// <summary>Unsubscribes and waits for the server to confirm.</summary>
    /// <returns>A task that completes when unsubscribed.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await SubscriptionChanges.UnsubscribeAsync(_queue).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // A connection that is gone has no subscription left to end.
        }
    }

    /// <summary>Unsubscribes without waiting for the server.</summary>
    public void Dispose() => SubscriptionChanges.Unsubscribe(_queue);
}

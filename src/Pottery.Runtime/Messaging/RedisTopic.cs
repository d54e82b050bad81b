using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Typed publish/subscribe on one Redis channel: <see cref="PublishAsync"/> sends a message to every
/// subscriber connected at that moment, <see cref="SubscribeAsync"/> returns a subscription that
/// is live once it is returned and yields messages as an <see cref="IAsyncEnumerable{T}"/>.
/// Messages are encoded with the topic's codec. Delivery is at most once: a subscriber that is not
/// connected when a message is published never sees it (use a queue for work that must not be lost).
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>
/// The channel is the topic's name under the database's key prefix, so prefixed apps do not hear each
/// other. One publisher's messages arrive in the order it sent them; on Redis Cluster the channel is
/// sharded (Redis 7's <c>SPUBLISH</c>/<c>SSUBSCRIBE</c>) to keep that order.
/// </remarks>
public sealed class RedisTopic<T>
{
    private readonly IDatabase _database;
    private RedisChannel? _channel;

    /// <summary>Opens the topic <paramref name="name"/>.</summary>
    /// <param name="database">The Redis database; its key prefix applies to the channel name.</param>
    /// <param name="name">The channel's name.</param>
    /// <param name="codec">How messages are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="NotSupportedException">No codec is known for <typeparamref name="T"/>.</exception>
    public RedisTopic(IDatabase database, string name, IRedisCodec<T>? codec = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _database = database;
        Name = name;
        Codec = codec ?? RedisCodecs.For<T>();
    }

    /// <summary>The channel's name (before the key prefix).</summary>
    public string Name { get; }

    /// <summary>How messages are encoded.</summary>
    public IRedisCodec<T> Codec { get; }

    /// <summary>Sends a message to every subscriber connected now.</summary>
    /// <param name="message">The message.</param>
    /// <returns>How many subscribers received it (on Redis Cluster: those connected to the node that took the message).</returns>
    public long Publish(T message) => Sync.Wait(PublishAsync(message));

    /// <summary>Sends a message to every subscriber connected now.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops waiting for the reply (the message may be sent all the same).</param>
    /// <returns>How many subscribers received it (on Redis Cluster: those connected to the node that took the message).</returns>
    public async ValueTask<long> PublishAsync(T message, CancellationToken cancellationToken = default)
    {
        var span = TopicSpans.Publish(Name, _database.Database);
        try
        {
            var encoded = Codec.Encode(message);
            var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
            var receivers = await RedisCall.Async(_database, Name, RedisType.None, (Channel: channel, Message: encoded), static (d, _, s) => d.Multiplexer.GetSubscriber().PublishAsync(s.Channel, s.Message), static (receivers, _, _) => receivers, cancellationToken).ConfigureAwait(false);
            TopicTelemetry.Published(Name);
            TopicSpans.End(span, null);
            return receivers;
        }
        catch (Exception error) when (span is not null)
        {
            TopicSpans.End(span, null, error);
            throw;
        }
    }

    /// <summary>Subscribes to the topic; messages published from the moment this returns are delivered to the subscription.</summary>
    /// <returns>The subscription: enumerate it, dispose it to unsubscribe.</returns>
    public RedisTopicSubscription<T> Subscribe() => Sync.Wait(SubscribeAsync());

    /// <summary>Subscribes to the topic; messages published from the moment this completes are delivered to the subscription.</summary>
    /// <param name="cancellationToken">Stops waiting for the server to confirm the subscription.</param>
    /// <returns>The subscription: enumerate it, dispose it to unsubscribe.</returns>
    public async ValueTask<RedisTopicSubscription<T>> SubscribeAsync(CancellationToken cancellationToken = default)
    {
        var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
        var subscribing = SubscriptionChanges.SubscribeAsync(_database.Multiplexer, channel);
        try
        {
            return new RedisTopicSubscription<T>(await subscribing.WaitAsync(cancellationToken).ConfigureAwait(false), Name, Codec);
        }
        catch (OperationCanceledException)
        {
            // The subscription may still go through: it must not outlive the caller who gave up on it.
            _ = subscribing.ContinueWith(static done => SubscriptionChanges.Unsubscribe(done.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw await RedisErrors.TranslateAsync(error, _database, Name, RedisType.None).ConfigureAwait(false);
        }
    }

    // The name under the database's key prefix. On Redis Cluster the channel is sharded (SPUBLISH,
    // SSUBSCRIBE): it lives on its slot's node, so one publisher's messages arrive in the order sent,
    // where a plain channel's PUBLISH goes to any node and reaches subscribers by different paths.
    private async ValueTask<RedisChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { } known)
        {
            return known;
        }

        byte[] name = [.. await KeyPrefix.OfAsync(_database).WaitAsync(cancellationToken).ConfigureAwait(false), .. System.Text.Encoding.UTF8.GetBytes(Name)];
        var channel = IsCluster(_database.Multiplexer) ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
        _channel = channel;
        return channel;
    }

    private static bool IsCluster(IConnectionMultiplexer connection)
    {
        foreach (var server in connection.GetServers())
        {
            if (server.ServerType == ServerType.Cluster)
            {
                return true;
            }
        }

        return false;
    }
}

using System.Globalization;

namespace Pottery;

/// <summary>
/// One delivery of a message of a <see cref="RedisReliableTopic{T}"/> to a consumer of a group: the
/// message, its id, and which delivery of it this is in the group. <see cref="AcknowledgeAsync"/>
/// finishes it for the group; until then it is pending, and once the topic's visibility timeout has
/// passed without an acknowledgement (the consumer died) another consumer of the group receives it
/// again as a new delivery.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class ReliableTopicDelivery<T>
{
    private readonly RedisReliableTopic<T> _topic;

    internal ReliableTopicDelivery(RedisReliableTopic<T> topic, string group, string id, T value, int deliveryCount)
    {
        _topic = topic;
        Group = group;
        Id = id;
        Value = value;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The message.</summary>
    public T Value { get; }

    /// <summary>The message's stream id, the same for every delivery of it and in every group.</summary>
    public string Id { get; }

    /// <summary>The consumer group it was delivered in.</summary>
    public string Group { get; }

    /// <summary>Which delivery of the message this is in <see cref="Group"/>: 1 the first time, more when an earlier one was not acknowledged in time.</summary>
    public int DeliveryCount { get; }

    /// <summary>
    /// Finishes the message for <see cref="Group"/>: no consumer of the group receives it again.
    /// Redis acknowledges by message id, so this finishes the message even when its visibility
    /// timeout passed and another consumer claimed it meanwhile.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> when it was pending; <see langword="false"/> when it was acknowledged
    /// already (with this or another delivery of it) or dead-lettered.
    /// </returns>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public bool Acknowledge() => Sync.Wait(AcknowledgeAsync());

    /// <summary>Finishes the message for <see cref="Group"/>: no consumer of the group receives it again.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply; the acknowledgement may still be made.</param>
    /// <returns>Whether it was pending; see <see cref="Acknowledge"/>.</returns>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public ValueTask<bool> AcknowledgeAsync(CancellationToken cancellationToken = default) =>
        _topic.AcknowledgeAsync(Group, Id, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Value} ({Id} in group {Group}, delivery {DeliveryCount.ToString(CultureInfo.InvariantCulture)})";
}

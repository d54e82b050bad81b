using System.Globalization;

namespace Pottery;

/// <summary>
/// One delivery of an item from a <see cref="RedisQueue{T}"/>: the item, the id it has in the queue,
/// and which delivery of it this is. Acknowledging the delivery finishes the item; until then it is
/// in flight, and once the queue's visibility timeout has passed without an acknowledgement (the
/// consumer died, or the reply of the take was lost) the item is handed out again as a new delivery.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class QueueDelivery<T>
{
    internal QueueDelivery(T value, string id, int deliveryCount)
    {
        Value = value;
        Id = id;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The item.</summary>
    public T Value { get; }

    /// <summary>The item's id in the queue, the same for every delivery of it.</summary>
    public string Id { get; }

    /// <summary>Which delivery of the item this is: 1 the first time it is handed out, more when it was handed out before and not acknowledged.</summary>
    public int DeliveryCount { get; }

    /// <summary>The receipt the queue checks on acknowledgement: the item's id and the delivery count.</summary>
    internal string Receipt => Id + ":" + DeliveryCount.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"{Value} (item {Id}, delivery {DeliveryCount.ToString(CultureInfo.InvariantCulture)})";
}

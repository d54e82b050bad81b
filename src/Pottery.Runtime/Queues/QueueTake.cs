using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// What one take command brought: an item (with what its queue needs to acknowledge or restore it),
/// nothing, or a stored value that is not an item of the queue's shape.
/// </summary>
internal readonly struct QueueTake
{
    private QueueTake(RedisValue item, RedisValue receipt, int deliveryCount, TimeSpan? nextDue, bool malformed, string[]? deadLettered = null)
    {
        DeadLettered = deadLettered;
        Item = item;
        Receipt = receipt;
        DeliveryCount = deliveryCount;
        NextDue = nextDue;
        IsMalformed = malformed;
    }

    /// <summary>The encoded item; null when nothing was taken.</summary>
    public RedisValue Item { get; }

    /// <summary>What identifies the taken entry: a delivery's item id, a priority queue's member; the stored value when malformed.</summary>
    public RedisValue Receipt { get; }

    /// <summary>How many times the item has been handed out, this time included; 0 where deliveries are not counted.</summary>
    public int DeliveryCount { get; }

    /// <summary>When nothing was taken: how soon something in flight may be handed out again, if anything is.</summary>
    public TimeSpan? NextDue { get; }

    /// <summary>Whether the head of the queue was not an item of the queue's shape (and was left where it was).</summary>
    public bool IsMalformed { get; }

    /// <summary>The ids of the items the take moved to the dead-letter list, if it moved any.</summary>
    public string[]? DeadLettered { get; }

    /// <summary>Whether an item was taken.</summary>
    public bool Found => !Item.IsNull;

    /// <summary>Nothing was taken.</summary>
    /// <param name="nextDue">How soon something in flight may be handed out again, if anything is.</param>
    /// <returns>The empty take.</returns>
    /// <param name="deadLettered">The ids of the items it moved to the dead-letter list, if any.</param>
    public static QueueTake None(TimeSpan? nextDue = null, string[]? deadLettered = null) => new(RedisValue.Null, RedisValue.Null, 0, nextDue, false, deadLettered);

    /// <summary>An item was taken.</summary>
    /// <param name="item">The encoded item.</param>
    /// <param name="receipt">What identifies the taken entry, if the queue needs it.</param>
    /// <param name="deliveryCount">The delivery count, where counted.</param>
    /// <returns>The take.</returns>
    /// <param name="deadLettered">The ids of the items it moved to the dead-letter list, if any.</param>
    public static QueueTake Of(RedisValue item, RedisValue receipt = default, int deliveryCount = 0, string[]? deadLettered = null) => new(item, receipt, deliveryCount, null, false, deadLettered);

    /// <summary>The head of the queue is not an item of the queue's shape; it stayed where it was.</summary>
    /// <param name="stored">The stored value.</param>
    /// <returns>The take, which found nothing.</returns>
    public static QueueTake Malformed(RedisValue stored) => new(RedisValue.Null, stored, 0, null, true);
}

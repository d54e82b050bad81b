using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>The queues' log events (category <c>Pottery.Queues</c>, event ids 2001-2099; ids never change).</summary>
internal static partial class QueueLog
{
    /// <summary>An item was handed out again: its earlier delivery was not acknowledged in time, or was abandoned.</summary>
    [LoggerMessage(EventId = 2001, EventName = "QueueRedelivered", Level = LogLevel.Warning, Message = "Item {ItemId} of the queue '{QueueName}' is handed out again as delivery {DeliveryCount}: an earlier delivery was not acknowledged within the visibility timeout, or was abandoned.")]
    public static partial void Redelivered(ILogger logger, string itemId, string queueName, int deliveryCount);

    /// <summary>An item went to the dead-letter list after its last allowed delivery.</summary>
    [LoggerMessage(EventId = 2002, EventName = "QueueDeadLettered", Level = LogLevel.Warning, Message = "Item {ItemId} of the queue '{QueueName}' went to the dead-letter list '{DeadLetterKey}' after {MaxDeliveries} unacknowledged deliveries.")]
    public static partial void DeadLettered(ILogger logger, string itemId, string queueName, string deadLetterKey, int maxDeliveries);
}

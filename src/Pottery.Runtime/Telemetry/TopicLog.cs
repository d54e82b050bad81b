using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>The topics' log events (category <c>Pottery.Messaging</c>, event ids 5001-5099; ids never change).</summary>
internal static partial class TopicLog
{
    /// <summary>A reliable topic's message was delivered again: an earlier delivery was not acknowledged in time.</summary>
    [LoggerMessage(EventId = 5001, EventName = "TopicRedelivered", Level = LogLevel.Warning, Message = "Message {MessageId} of the reliable topic '{TopicName}' is delivered again to group '{Group}' as delivery {DeliveryCount}: an earlier delivery was not acknowledged within the visibility timeout.")]
    public static partial void Redelivered(ILogger logger, string messageId, string topicName, string group, int deliveryCount);

    /// <summary>A reliable topic's message went to the dead-letter stream after its last allowed delivery.</summary>
    [LoggerMessage(EventId = 5002, EventName = "TopicDeadLettered", Level = LogLevel.Warning, Message = "Message {MessageId} of the reliable topic '{TopicName}' went to the dead-letter stream '{DeadLetterKey}' for group '{Group}' after {MaxDeliveries} unacknowledged deliveries.")]
    public static partial void DeadLettered(ILogger logger, string messageId, string topicName, string group, string deadLetterKey, int maxDeliveries);
}

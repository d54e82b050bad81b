using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>What the hosted queue consumers log.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Error, Message = "Pottery queue consumer of '{Queue}' could not take an item; trying again in {RetryDelay}")]
    public static partial void TakeFailed(ILogger logger, Exception error, string queue, TimeSpan retryDelay);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Pottery queue consumer of '{Queue}': the handler failed on item {ItemId} (delivery {DeliveryCount}); it will be handed out again")]
    public static partial void HandlerFailed(ILogger logger, Exception error, string queue, string itemId, int deliveryCount);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Pottery queue consumer of '{Queue}' is stopping: item {ItemId} (delivery {DeliveryCount}) goes back to the queue")]
    public static partial void HandlerStopped(ILogger logger, string queue, string itemId, int deliveryCount);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Pottery queue consumer of '{Queue}': item {ItemId} (delivery {DeliveryCount}) was no longer in flight when settled; its visibility timeout had passed and it was handed out again")]
    public static partial void DeliveryExpired(ILogger logger, string queue, string itemId, int deliveryCount);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "Pottery queue consumer of '{Queue}' could not settle item {ItemId} (delivery {DeliveryCount}); its visibility timeout will hand it out again")]
    public static partial void SettleFailed(ILogger logger, Exception error, string queue, string itemId, int deliveryCount);
}

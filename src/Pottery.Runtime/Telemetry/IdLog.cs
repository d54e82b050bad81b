using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>The ID generators' log events (category <c>Pottery.Ids</c>, event ids 4001-4099; ids never change).</summary>
internal static partial class IdLog
{
    /// <summary>Masters did not agree on an ID, or a reset, in a quorum.</summary>
    [LoggerMessage(EventId = 4001, EventName = "IdQuorumNotAchieved", Level = LogLevel.Warning, Message = "No quorum for the ID generator '{Key}': {Reason}")]
    public static partial void QuorumNotAchieved(ILogger logger, string key, string reason, Exception? exception);
}

using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>The lock's log events (category <c>Pottery.Locking</c>, event ids 1001-1099; ids never change).</summary>
internal static partial class LockLog
{
    /// <summary>An acquisition's <see cref="RedlockHandle.LostToken"/> fired, or it was released after its validity ran out.</summary>
    [LoggerMessage(EventId = 1001, EventName = "LockLost", Level = LogLevel.Warning, Message = "Lost the lock '{LockName}': its validity ran out while it was held, so another holder may have it now.")]
    public static partial void Lost(ILogger logger, string lockName);

    /// <summary>The watchdog could not renew an acquisition on a quorum; it is lost.</summary>
    [LoggerMessage(EventId = 1002, EventName = "LockWatchdogFailed", Level = LogLevel.Warning, Message = "The watchdog could not renew the lock '{LockName}': {Renewed} of {Masters} masters renewed it, {Quorum} needed. The acquisition is lost.")]
    public static partial void WatchdogFailed(ILogger logger, string lockName, int renewed, int masters, int quorum, Exception? exception);

    /// <summary>An acquisition was extended.</summary>
    [LoggerMessage(EventId = 1003, EventName = "LockExtended", Level = LogLevel.Debug, Message = "Extended the lock '{LockName}' ({Extensions} of {MaxExtensions} extensions).")]
    public static partial void Extended(ILogger logger, string lockName, int extensions, int maxExtensions);

    /// <summary>The watchdog renewed an acquisition.</summary>
    [LoggerMessage(EventId = 1004, EventName = "LockRenewed", Level = LogLevel.Trace, Message = "The watchdog renewed the lock '{LockName}'.")]
    public static partial void Renewed(ILogger logger, string lockName);

    /// <summary>A lock step could not reach a quorum: too few masters answered.</summary>
    [LoggerMessage(EventId = 1005, EventName = "LockQuorumImpossible", Level = LogLevel.Warning, Message = "No quorum for the lock '{LockName}' ({Operation}): {Reason}")]
    public static partial void QuorumImpossible(ILogger logger, string operation, string lockName, string reason, Exception? exception);

    /// <summary>A semaphore permit's or a reader-writer lock's read or write ran out of lease while held.</summary>
    [LoggerMessage(EventId = 1006, EventName = "LeaseLost", Level = LogLevel.Warning, Message = "Lost a {LockKind} lease on '{LockName}': it ran out while it was held, so another holder may have it now.")]
    public static partial void LeaseLost(ILogger logger, string lockKind, string lockName);

    /// <summary>The watchdog could not renew a semaphore permit's or a reader-writer lock's read or write; it is lost.</summary>
    [LoggerMessage(EventId = 1007, EventName = "LeaseWatchdogFailed", Level = LogLevel.Warning, Message = "The {Renewer} could not renew a {LockKind} lease on '{LockName}': {Reason}. The acquisition is lost.")]
    public static partial void LeaseWatchdogFailed(ILogger logger, string renewer, string lockKind, string lockName, string reason, Exception? exception);
}

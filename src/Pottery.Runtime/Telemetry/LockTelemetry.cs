namespace Pottery;

/// <summary>
/// What the lock, the semaphore and the reader-writer lock report besides acquisitions
/// (<see cref="LockAcquireObservation"/>): quorum failures, losses, extensions.
/// </summary>
internal static class LockTelemetry
{
    /// <summary>Reports a lock step that could not reach a quorum, and returns the exception that says so.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="operation">The step: <c>acquire</c>, <c>extend</c>, <c>release</c> or <c>held_for</c>.</param>
    /// <param name="error">The exception the step throws.</param>
    public static QuorumIsImpossibleException QuorumImpossible(Redlock redlock, string operation, QuorumIsImpossibleException error)
    {
        if (PotteryInstruments.LockQuorumFailures.Enabled)
        {
            PotteryInstruments.LockQuorumFailures.Add(1, new KeyValuePair<string, object?>(TelemetryTags.LockOperation, operation));
        }

        if (PotteryLogs.On)
        {
            LockLog.QuorumImpossible(PotteryLogs.Locking, operation, redlock.Name, error.Message, error.InnerException);
        }

        return error;
    }

    /// <summary>Reports an acquisition lost while held.</summary>
    public static void Lost(Redlock redlock)
    {
        CountLoss(LockKinds.Lock);
        if (PotteryLogs.On)
        {
            LockLog.Lost(PotteryLogs.Locking, redlock.Name);
        }
    }

    /// <summary>Reports a leased acquisition (a semaphore permit, a read or a write) lost while held.</summary>
    /// <param name="name">The primitive's name as given.</param>
    /// <param name="kind">One of <see cref="LockKinds"/>.</param>
    public static void LeaseLost(string name, string kind)
    {
        CountLoss(kind);
        if (PotteryLogs.On)
        {
            LockLog.LeaseLost(PotteryLogs.Locking, kind, name);
        }
    }

    /// <summary>Reports a background renewal of a leased acquisition (its watchdog's, or the one after a hand-over within the process) that the server refused or that could not be sent in time.</summary>
    /// <param name="name">The primitive's name as given.</param>
    /// <param name="kind">One of <see cref="LockKinds"/>.</param>
    /// <param name="byWatchdog">Whether the watchdog renewed; otherwise the acquisition took the lease over from a holder of its process.</param>
    /// <param name="error">Why the server could not be asked, or null when it answered that the lease is gone.</param>
    public static void LeaseWatchdogFailed(string name, string kind, bool byWatchdog, Exception? error)
    {
        if (PotteryLogs.On)
        {
            LockLog.LeaseWatchdogFailed(PotteryLogs.Locking, byWatchdog ? "watchdog" : "renewal after a hand-over within the process", kind, name, error is null ? "the server no longer holds it" : "the server could not be asked in time", error);
        }
    }

    /// <summary>Reports a watchdog renewal that did not reach a quorum.</summary>
    public static void WatchdogFailed(Redlock redlock, RoundTally tally)
    {
        if (PotteryLogs.On)
        {
            LockLog.WatchdogFailed(PotteryLogs.Locking, redlock.Name, tally.Agreed, redlock.Masters.Length, redlock.Quorum, tally.FirstFailure);
        }
    }

    /// <summary>Reports an extension (<paramref name="extensions"/> so far) or, with null, a watchdog renewal.</summary>
    public static void Extended(Redlock redlock, int? extensions)
    {
        if (PotteryLogs.On)
        {
            if (extensions is { } count)
            {
                LockLog.Extended(PotteryLogs.Locking, redlock.Name, count, redlock.MaxExtensions);
            }
            else
            {
                LockLog.Renewed(PotteryLogs.Locking, redlock.Name);
            }
        }
    }

    private static void CountLoss(string kind)
    {
        if (PotteryInstruments.LockLost.Enabled)
        {
            PotteryInstruments.LockLost.Add(1, new KeyValuePair<string, object?>(TelemetryTags.LockKind, kind));
        }
    }

    /// <summary>Whether anyone listens for lost acquisitions, so a handle learns when its validity runs out.</summary>
    public static bool WatchesLosses => PotteryLogs.On || PotteryInstruments.LockLost.Enabled;
}

namespace Pottery;

/// <summary>What ID generators report: quorums not achieved.</summary>
internal static class IdTelemetry
{
    /// <summary>Logs a quorum not achieved and returns the exception that says so.</summary>
    public static QuorumNotAchievedException QuorumNotAchieved(QuorumNotAchievedException error)
    {
        if (PotteryLogs.On)
        {
            IdLog.QuorumNotAchieved(PotteryLogs.Ids, error.Key ?? string.Empty, error.Message, error.InnerException);
        }

        return error;
    }
}

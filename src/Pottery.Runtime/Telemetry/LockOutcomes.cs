namespace Pottery;

/// <summary>The values of <see cref="TelemetryTags.LockOutcome"/>.</summary>
internal static class LockOutcomes
{
    /// <summary>The lock was acquired.</summary>
    public const string Acquired = "acquired";

    /// <summary>The lock stayed held by someone else until the call's timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>Too few masters could be asked (<see cref="QuorumIsImpossibleException"/>).</summary>
    public const string QuorumImpossible = "quorum_impossible";

    /// <summary>The caller cancelled.</summary>
    public const string Canceled = "canceled";

    /// <summary>Any other failure (a fencing counter of the wrong type, say).</summary>
    public const string Error = "error";

    /// <summary>The outcome an exception stands for.</summary>
    public static string Of(Exception error) => error switch
    {
        TimeoutException => Timeout,
        QuorumIsImpossibleException => QuorumImpossible,
        OperationCanceledException => Canceled,
        _ => Error,
    };
}

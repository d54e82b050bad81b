namespace Pottery;

/// <summary>
/// Thrown when fewer than a quorum (n/2+1) of masters agreed, e.g. no ID could be agreed within the allowed tries.
/// </summary>
public class QuorumNotAchievedException : PrimitiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public QuorumNotAchievedException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

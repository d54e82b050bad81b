namespace Pottery;

/// <summary>
/// Thrown when releasing a lock acquisition (or token) that does not hold the lock on a quorum of masters (already released, expired, or never acquired).
/// </summary>
public class ReleaseUnlockedLockException : PrimitiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ReleaseUnlockedLockException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

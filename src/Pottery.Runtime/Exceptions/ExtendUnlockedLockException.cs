namespace Pottery;

/// <summary>
/// Thrown when extending a lock acquisition that no longer holds the lock (released, expired, or lost on the masters).
/// </summary>
public class ExtendUnlockedLockException : PrimitiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ExtendUnlockedLockException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

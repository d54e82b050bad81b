namespace Pottery;

/// <summary>
/// Thrown when too few masters could be asked for a quorum to be possible: so many failed with errors
/// that retrying is in vain (pottery's <c>raise_on_redis_errors</c>), or, when a call's time is up,
/// so many had not answered (down, paused, partitioned) that nobody can be said to hold the lock. A
/// master that is merely slow fails a try, which is retried while the call has time; the next call
/// may succeed. It is never "someone else holds it".
/// </summary>
public class QuorumIsImpossibleException : PrimitiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public QuorumIsImpossibleException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

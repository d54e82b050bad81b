namespace Pottery;

/// <summary>
/// Thrown when so many masters failed with errors that a quorum can no longer be reached, instead of retrying in vain (pottery's <c>raise_on_redis_errors</c>).
/// A master that did not answer in time (a timeout) is slow, not failed: it fails the try, which may be retried.
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

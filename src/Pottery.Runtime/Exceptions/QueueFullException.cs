namespace Pottery;

/// <summary>
/// Thrown when an item is put into a full bounded queue without blocking, or a blocking put timed out (Python's <c>queue.Full</c>).
/// </summary>
public class QueueFullException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public QueueFullException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

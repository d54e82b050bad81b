namespace Pottery;

/// <summary>
/// Thrown when an item is taken from an empty queue without blocking, or a blocking take timed out (Python's <c>queue.Empty</c>).
/// </summary>
public class QueueEmptyException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public QueueEmptyException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

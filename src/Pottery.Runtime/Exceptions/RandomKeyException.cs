namespace Pottery;

/// <summary>
/// Thrown when no unused random key could be found within the allowed number of tries (pottery's <c>RandomKeyError</c>).
/// </summary>
public class RandomKeyException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public RandomKeyException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

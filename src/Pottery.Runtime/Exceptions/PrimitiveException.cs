namespace Pottery;

/// <summary>
/// The base of failures of the distributed primitives (Redlock, NextId) that coordinate several Redis masters (pottery's <c>PrimitiveError</c>).
/// </summary>
public class PrimitiveException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public PrimitiveException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

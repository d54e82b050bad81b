namespace Pottery;

/// <summary>
/// The root of every exception Pottery throws, so callers can catch all of them in one place.
/// </summary>
public class PotteryException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and, where possible, what to do about it.</param>
    public PotteryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the failure that caused it.</summary>
    /// <param name="message">What went wrong and, where possible, what to do about it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public PotteryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception about one Redis key.</summary>
    /// <param name="message">What went wrong and, where possible, what to do about it.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public PotteryException(string message, string? key, Exception? innerException = null)
        : base(message, innerException)
    {
        Key = key;
    }

    /// <summary>The Redis key the failure concerns, when there is one.</summary>
    public string? Key { get; }
}

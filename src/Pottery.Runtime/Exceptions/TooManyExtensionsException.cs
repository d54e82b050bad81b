namespace Pottery;

/// <summary>
/// Thrown when a lock has already been extended as many times as its <c>MaxExtensions</c> allows.
/// </summary>
public class TooManyExtensionsException : PrimitiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public TooManyExtensionsException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

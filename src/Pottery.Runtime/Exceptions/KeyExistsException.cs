namespace Pottery;

/// <summary>
/// Thrown when a structure is created with initial contents over a Redis key that already exists (pottery's <c>KeyExistsError</c>); Pottery never silently merges into or overwrites existing data.
/// </summary>
public class KeyExistsException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public KeyExistsException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

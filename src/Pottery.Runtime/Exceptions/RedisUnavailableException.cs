namespace Pottery;

/// <summary>
/// Thrown when Redis could not be reached or did not answer in time; the inner exception is StackExchange.Redis' own.
/// </summary>
public class RedisUnavailableException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public RedisUnavailableException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

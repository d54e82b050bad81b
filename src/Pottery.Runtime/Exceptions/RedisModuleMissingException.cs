namespace Pottery;

/// <summary>A feature needs a Redis module (such as RedisBloom) that the server has not loaded.</summary>
public sealed class RedisModuleMissingException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which module is missing and what to do instead.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="innerException">The server's refusal.</param>
    public RedisModuleMissingException(string message, string? key = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

namespace Pottery;

/// <summary>
/// Thrown when a Redis key holds a different Redis type than the structure over it expects
/// (Redis' <c>WRONGTYPE</c> error), e.g. a <c>RedisDict</c> over a key that holds a list.
/// </summary>
public class WrongTypeException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The key that holds the unexpected type.</param>
    /// <param name="expectedType">The Redis type the operation needs, e.g. <c>hash</c>.</param>
    /// <param name="actualType">The Redis type found at the key, or <c>unknown</c> if it could not be read.</param>
    /// <param name="innerException">Redis' own error.</param>
    public WrongTypeException(string key, string expectedType, string actualType, Exception? innerException = null)
        : base($"Redis key '{key}' holds a {actualType}, but this operation needs a {expectedType}. Use another key, or delete the existing one first.", key, innerException)
    {
        ExpectedType = expectedType;
        ActualType = actualType;
    }

    /// <summary>The Redis type the operation needs (<c>hash</c>, <c>set</c>, <c>list</c>, <c>zset</c>, <c>string</c>).</summary>
    public string ExpectedType { get; }

    /// <summary>The Redis type found at the key.</summary>
    public string ActualType { get; }
}

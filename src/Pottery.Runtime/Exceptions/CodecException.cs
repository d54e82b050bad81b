namespace Pottery;

/// <summary>
/// Thrown when bytes read from Redis cannot be decoded as the expected .NET type, e.g. a
/// <c>RedisDict&lt;string, int&gt;</c> whose hash holds <c>"abc"</c> under some field.
/// </summary>
public class CodecException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The Redis key the bytes were read from.</param>
    /// <param name="field">The hash field, list index or member the bytes came from, if any.</param>
    /// <param name="targetType">The .NET type the bytes should have decoded to.</param>
    /// <param name="preview">A short, printable preview of the bytes.</param>
    /// <param name="innerException">The codec's own error.</param>
    public CodecException(string key, string? field, string targetType, string preview, Exception? innerException = null)
        : base(Describe(key, field, targetType, preview, innerException), key, innerException)
    {
        Field = field;
        TargetType = targetType;
    }

    /// <summary>The hash field, list index or member whose bytes could not be decoded, if any.</summary>
    public string? Field { get; }

    /// <summary>The .NET type the bytes should have decoded to.</summary>
    public string TargetType { get; }

    private static string Describe(string key, string? field, string targetType, string preview, Exception? inner)
    {
        var where = field is null ? $"Redis key '{key}'" : $"field {field} of Redis key '{key}'";
        var why = inner is null ? string.Empty : $" ({inner.Message.TrimEnd('.')})";
        return $"Could not decode the value {preview} at {where} as {targetType}{why}. Was it written with another codec or by another program?";
    }
}

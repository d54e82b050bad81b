using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores strings as their UTF-8 bytes.</summary>
/// <remarks>Redis has no null string, so encoding <see langword="null"/> is an argument error.</remarks>
public sealed class StringCodec : IRedisCodec<string>
{
    /// <summary>The shared instance.</summary>
    public static StringCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }

    /// <inheritdoc />
    public string Decode(RedisValue value) =>
        value.IsNull ? throw new FormatException("No value is stored.") : (string)value!;
}

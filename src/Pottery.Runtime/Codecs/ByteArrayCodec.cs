using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores byte arrays as they are.</summary>
/// <remarks>Redis has no null string, so encoding <see langword="null"/> is an argument error.</remarks>
public sealed class ByteArrayCodec : IRedisCodec<byte[]>
{
    /// <summary>The shared instance.</summary>
    public static ByteArrayCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }

    /// <inheritdoc />
    public byte[] Decode(RedisValue value) =>
        value.IsNull ? throw new FormatException("No value is stored.") : (byte[])value!;
}

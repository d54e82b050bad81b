using System.Text;
using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores strings as their UTF-8 bytes.</summary>
/// <remarks>
/// Redis has no null string, so encoding <see langword="null"/> is an argument error. Bytes that
/// are not UTF-8 do not decode (a <see cref="FormatException"/>, a <see cref="CodecException"/>
/// when read from Redis): replacing them would lose them, and a read-modify-write would then store
/// the replacement.
/// </remarks>
public sealed class StringCodec : IRedisCodec<string>
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The shared instance.</summary>
    public static StringCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }

    /// <inheritdoc />
    public string Decode(RedisValue value)
    {
        if (value.IsNull)
        {
            throw new FormatException("No value is stored.");
        }

        try
        {
            return Strict.GetString(((ReadOnlyMemory<byte>)value).Span);
        }
        catch (DecoderFallbackException error)
        {
            throw new FormatException("The bytes are not UTF-8.", error);
        }
    }
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores a character as the one-character string it is.</summary>
/// <remarks>A lone surrogate half has no UTF-8 form, so encoding one is an argument error.</remarks>
public sealed class CharCodec : IRedisCodec<char>
{
    /// <summary>The shared instance.</summary>
    public static CharCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(char value) =>
        char.IsSurrogate(value)
            ? throw new ArgumentException($"U+{(int)value:X4} is half of a surrogate pair and cannot be stored on its own.", nameof(value))
            : value.ToString();

    /// <inheritdoc />
    public char Decode(RedisValue value) =>
        StringCodec.Instance.Decode(value) is [var single] ? single : throw new FormatException("Expected exactly one character.");
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Turns values of <typeparamref name="T"/> into the bytes Redis stores and back.
/// </summary>
/// <typeparam name="T">The .NET type the codec handles.</typeparam>
/// <remarks>
/// Implementations must be thread-safe and stateless. <see cref="Decode"/> throws
/// <see cref="FormatException"/> for bytes it cannot turn into a <typeparamref name="T"/>;
/// Pottery's collections turn that into a <see cref="CodecException"/> naming the key and field.
/// </remarks>
public interface IRedisCodec<T>
{
    /// <summary>Encodes <paramref name="value"/> as a Redis value.</summary>
    /// <param name="value">The value to store.</param>
    /// <returns>The bytes (or number) to send to Redis.</returns>
    /// <exception cref="NotSupportedException">The value has no stored form; membership tests (<c>Contains</c>, <c>ContainsKey</c>) then answer false without asking Redis.</exception>
    RedisValue Encode(T value);

    /// <summary>Decodes a value read from Redis.</summary>
    /// <param name="value">The stored value; never <see cref="RedisValue.Null"/> unless the codec accepts missing values.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="FormatException">The bytes are not a valid encoding of <typeparamref name="T"/>.</exception>
    T Decode(RedisValue value);
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Stores <see cref="Nullable{T}"/> values: <see langword="null"/> as the empty string, other
/// values with the codec of <typeparamref name="T"/> (whose encodings are never empty).
/// </summary>
/// <typeparam name="T">The underlying value type.</typeparam>
public sealed class NullableCodec<T> : IRedisCodec<T?>
    where T : struct
{
    private readonly IRedisCodec<T> _inner;

    /// <summary>Wraps the codec of the underlying type.</summary>
    /// <param name="inner">The codec for non-null values.</param>
    public NullableCodec(IRedisCodec<T> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <inheritdoc />
    public RedisValue Encode(T? value) => value is { } present ? _inner.Encode(present) : RedisValue.EmptyString;

    /// <inheritdoc />
    public T? Decode(RedisValue value) => value.IsNullOrEmpty ? null : _inner.Decode(value);
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Stores enum values by name (<c>Shipped</c>, flags as <c>Read, Write</c>), or by number when
/// the value has no name; reads names and numbers. Also handles nullable enums, whose
/// <see langword="null"/> is stored as the empty string.
/// </summary>
/// <typeparam name="T">An enum type, or a nullable enum type.</typeparam>
public sealed class EnumCodec<T> : IRedisCodec<T>
{
    private readonly Type _enumType;
    private readonly bool _nullable;

    /// <summary>Creates the codec.</summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not an enum or nullable enum.</exception>
    public EnumCodec()
    {
        var underlying = Nullable.GetUnderlyingType(typeof(T));
        _nullable = underlying is not null;
        _enumType = underlying ?? typeof(T);
        if (!_enumType.IsEnum)
        {
            throw new ArgumentException($"{typeof(T).Name} is not an enum type.", nameof(T));
        }
    }

    /// <inheritdoc />
    public RedisValue Encode(T value) => value is null ? RedisValue.EmptyString : value.ToString();

    /// <inheritdoc />
    public T Decode(RedisValue value)
    {
        if (_nullable && value.IsNullOrEmpty)
        {
            return default!;
        }

        var text = (string?)value;
        return Enum.TryParse(_enumType, text, ignoreCase: false, out var result) && result is not null
            ? (T)result
            : throw new FormatException($"'{text}' is neither a name nor a number of {_enumType.Name}.");
    }
}

using System.Globalization;
using System.Numerics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Stores binary floating-point numbers as the shortest text that reads back to the same value
/// (<c>0.1</c>, <c>-0</c>, <c>1E+16</c>); infinities and NaN as Redis writes them (<c>inf</c>,
/// <c>-inf</c>, <c>nan</c>), so <c>INCRBYFLOAT</c> and <c>ZADD</c> understand finite values.
/// </summary>
/// <typeparam name="T"><see cref="double"/>, <see cref="float"/> or <see cref="Half"/>.</typeparam>
public sealed class FloatingPointCodec<T> : IRedisCodec<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>The shared instance.</summary>
    public static FloatingPointCodec<T> Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(T value)
    {
        if (T.IsNaN(value))
        {
            return "nan";
        }

        if (T.IsInfinity(value))
        {
            return T.IsNegative(value) ? "-inf" : "inf";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public T Decode(RedisValue value)
    {
        var text = (string?)value ?? throw new FormatException("No value is stored.");
        switch (text.ToLowerInvariant())
        {
            case "nan" or "-nan" or "+nan":
                return T.NaN;
            case "inf" or "+inf" or "infinity" or "+infinity":
                return T.PositiveInfinity;
            case "-inf" or "-infinity":
                return T.NegativeInfinity;
        }

        return T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException($"'{text}' is not a valid {typeof(T).Name} in invariant notation.");
    }
}

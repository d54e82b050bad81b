using System.Globalization;
using System.Numerics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Stores integers and decimals as invariant decimal text (<c>42</c>, <c>-7</c>, <c>1.50</c>), so
/// <c>redis-cli</c> shows them and <c>INCRBY</c>/<c>HINCRBY</c> work on them.
/// </summary>
/// <typeparam name="T">An integer type of any width, or <see cref="decimal"/>.</typeparam>
public sealed class NumberCodec<T> : IRedisCodec<T>
    where T : INumberBase<T>
{
    private readonly NumberStyles _styles;

    /// <summary>Creates a codec that reads text in the given number styles.</summary>
    /// <param name="styles">What text is accepted when reading, e.g. <see cref="NumberStyles.AllowLeadingSign"/> for integers.</param>
    public NumberCodec(NumberStyles styles) => _styles = styles;

    /// <inheritdoc />
    public RedisValue Encode(T value)
    {
        // RedisValue holds 64-bit integers as numbers and sends the same decimal text, so most
        // integers need no string of their own.
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(sbyte)
            || typeof(T) == typeof(byte) || typeof(T) == typeof(ushort) || typeof(T) == typeof(uint))
        {
            return long.CreateTruncating(value);
        }

        return typeof(T) == typeof(ulong) ? ulong.CreateTruncating(value) : value.ToString(null, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public T Decode(RedisValue value)
    {
        if (value.IsNull)
        {
            throw new FormatException("No value is stored.");
        }

        // StackExchange.Redis keeps a reply that reads as a 64-bit integer as that number.
        if (value.IsInteger && value.TryParse(out long number))
        {
            try
            {
                return T.CreateChecked(number);
            }
            catch (OverflowException)
            {
                throw new FormatException($"'{number}' is out of range for {typeof(T).Name}.");
            }
        }

        // Otherwise the bytes are parsed as UTF-8, which spares a string per value; short ones (every
        // 64-bit integer and most decimals) are copied to the stack, since taking the value's bytes
        // as memory copies them to the heap.
        const int ShortValue = 64;
        Span<byte> stack = stackalloc byte[ShortValue];
        var bytes = value.GetByteCount() <= ShortValue ? stack[..value.CopyTo(stack)] : ((ReadOnlyMemory<byte>)value).Span;
        return T.TryParse(bytes, _styles, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException($"'{value}' is not a valid {typeof(T).Name} in invariant decimal notation, or is out of range.");
    }
}

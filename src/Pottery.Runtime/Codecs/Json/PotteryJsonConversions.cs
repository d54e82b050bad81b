using System.Globalization;
using System.Numerics;

namespace Pottery;

/// <summary>Turns what <see cref="PotteryJson.Deserialize"/> read into the type a <see cref="PotteryJsonCodec{T}"/> promises.</summary>
internal static class PotteryJsonConversions
{
    public static Func<string, T> For<T>()
    {
        var convert = FromParsed<T>();
        if (typeof(T) == typeof(decimal) || typeof(T) == typeof(decimal?))
        {
            return text => convert(ParseKeepingDecimalDigits(text));
        }

        return text => convert(PotteryJson.Deserialize(text));
    }

    // A double keeps 15-17 significant digits and a decimal up to 29, so a decimal read through a
    // double would not survive its own round trip; the number is read again from its text instead.
    private static object? ParseKeepingDecimalDigits(string text)
    {
        var parsed = PotteryJson.Deserialize(text);
        if (parsed is not double d || !double.IsFinite(d))
        {
            return parsed;
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            ? exact
            : throw new FormatException($"{d.ToString("R", CultureInfo.InvariantCulture)} is out of range for Decimal.");
    }

    private static Func<object?, T> FromParsed<T>()
    {
        if (typeof(T) == typeof(object))
        {
            return parsed => (T)parsed!;
        }

        return Reference<T, string>(parsed => parsed as string, "a string")
            ?? Reference<T, List<object?>>(parsed => parsed as List<object?>, "a list")
            ?? Reference<T, IList<object?>>(parsed => parsed as List<object?>, "a list")
            ?? Reference<T, IReadOnlyList<object?>>(parsed => parsed as List<object?>, "a list")
            ?? Reference<T, Dictionary<string, object?>>(parsed => parsed as Dictionary<string, object?>, "an object")
            ?? Reference<T, IDictionary<string, object?>>(parsed => parsed as Dictionary<string, object?>, "an object")
            ?? Reference<T, IReadOnlyDictionary<string, object?>>(parsed => parsed as Dictionary<string, object?>, "an object")
            ?? Value<T, bool>(parsed => parsed is bool flag ? flag : null, "true or false")
            ?? Value<T, long>(parsed => Integer(parsed, i => (long)i), "an integer")
            ?? Value<T, int>(parsed => Integer(parsed, i => (int)i), "an integer")
            ?? Value<T, short>(parsed => Integer(parsed, i => (short)i), "an integer")
            ?? Value<T, sbyte>(parsed => Integer(parsed, i => (sbyte)i), "an integer")
            ?? Value<T, byte>(parsed => Integer(parsed, i => (byte)i), "an integer")
            ?? Value<T, ushort>(parsed => Integer(parsed, i => (ushort)i), "an integer")
            ?? Value<T, uint>(parsed => Integer(parsed, i => (uint)i), "an integer")
            ?? Value<T, ulong>(parsed => Integer(parsed, i => (ulong)i), "an integer")
            ?? Value<T, Int128>(parsed => Integer(parsed, i => (Int128)i), "an integer")
            ?? Value<T, UInt128>(parsed => Integer(parsed, i => (UInt128)i), "an integer")
            ?? Value<T, BigInteger>(parsed => Integer(parsed, i => i), "an integer")
            ?? Value<T, double>(parsed => Number(parsed), "a number")
            ?? Value<T, float>(parsed => (float?)Number(parsed), "a number")
            ?? Value<T, decimal>(parsed => parsed is decimal exact ? exact : Integer(parsed, i => (decimal)i), "a finite number")
            ?? throw new NotSupportedException($"PotteryJsonCodec does not handle {typeof(T).FullName}; use object, string, bool, a number type, List<object?> or Dictionary<string, object?>.");
    }

    // A reference type: JSON null is not a value of it (only object accepts null).
    private static Func<object?, T>? Reference<T, TTarget>(Func<object?, TTarget?> pick, string expected)
        where TTarget : class
    {
        if (typeof(T) != typeof(TTarget))
        {
            return null;
        }

        return parsed => pick(parsed) is { } value ? (T)(object)value : throw Mismatch(parsed, expected);
    }

    // A value type, or its nullable form, which also accepts JSON null.
    private static Func<object?, T>? Value<T, TValue>(Func<object?, TValue?> pick, string expected)
        where TValue : struct
    {
        if (typeof(T) == typeof(TValue))
        {
            return parsed => pick(parsed) is { } value ? (T)(object)value : throw Mismatch(parsed, expected);
        }

        if (typeof(T) == typeof(TValue?))
        {
            return parsed => parsed is null ? default! : pick(parsed) is { } value ? (T)(object)value : throw Mismatch(parsed, expected);
        }

        return null;
    }

    private static TInteger? Integer<TInteger>(object? parsed, Func<BigInteger, TInteger> narrow)
        where TInteger : struct
    {
        BigInteger? integer = parsed switch
        {
            long l => l,
            BigInteger b => b,
            _ => null,
        };
        if (integer is not { } value)
        {
            return null;
        }

        try
        {
            return checked(narrow(value));
        }
        catch (OverflowException error)
        {
            throw new FormatException($"{value} is out of range for {typeof(TInteger).Name}.", error);
        }
    }

    private static double? Number(object? parsed) => parsed switch
    {
        double d => d,
        long l => l,
        BigInteger b => (double)b,
        _ => null,
    };

    private static FormatException Mismatch(object? parsed, string expected) =>
        new($"Expected {expected} but found {Describe(parsed)}.");

    private static string Describe(object? parsed) => parsed switch
    {
        null => "null",
        bool => "a boolean",
        string => "a string",
        long or BigInteger => "an integer",
        double => "a float",
        List<object?> => "a list",
        _ => "an object",
    };
}

using System.Globalization;
using System.Text;

namespace Pottery;

/// <summary>
/// Writes a double exactly as Python's <c>repr(float)</c> does: the shortest digits that read back
/// to the same value, in fixed notation with a trailing <c>.0</c> when integral, or in exponent
/// notation (<c>1e+16</c>, <c>1e-05</c>) when the decimal exponent is below -4 or above 15. A
/// decimal is written in the same layout with its own significant digits.
/// </summary>
internal static class PythonFloat
{
    public static void Write(StringBuilder output, double value)
    {
        if (double.IsNaN(value))
        {
            output.Append("NaN");
            return;
        }

        if (double.IsInfinity(value))
        {
            output.Append(value > 0 ? "Infinity" : "-Infinity");
            return;
        }

        if (double.IsNegative(value))
        {
            output.Append('-');
            value = -value;
        }

        if (value == 0)
        {
            output.Append("0.0");
            return;
        }

        // .NET's "R" gives the shortest round-trip digits, as Python's repr does; only the layout differs.
        var (digits, point) = Digits(value.ToString("R", CultureInfo.InvariantCulture));
        WriteDigits(output, digits, point);
    }

    /// <summary>
    /// Writes a decimal as Python writes the float it reads it as: <c>1m</c> as <c>1.0</c>,
    /// <c>1.50m</c> as <c>1.5</c>. The decimal's significant digits are all kept, so it reads back
    /// unchanged in .NET; up to 15 of them are exactly <c>repr(float(x))</c>, and Python reads more
    /// as the nearest float, as it would <c>float(Decimal(x))</c>.
    /// </summary>
    public static void Write(StringBuilder output, decimal value)
    {
        if (decimal.IsNegative(value))
        {
            output.Append('-');
            value = -value;
        }

        if (value == 0)
        {
            output.Append("0.0");
            return;
        }

        var (digits, point) = Digits(value.ToString(CultureInfo.InvariantCulture));
        WriteDigits(output, digits, point);
    }

    // Python's repr layout of 0.d1d2…dn × 10^p.
    private static void WriteDigits(StringBuilder output, string digits, int point)
    {
        if (point <= -4 || point > 16)
        {
            output.Append(digits[0]);
            if (digits.Length > 1)
            {
                output.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var exponent = point - 1;
            output.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (point <= 0)
        {
            output.Append("0.").Append('0', -point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            output.Append(digits).Append('0', point - digits.Length).Append(".0");
        }
        else
        {
            output.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
    }

    // The significant digits d1d2…dn and the point position p of a positive nonzero number's text, 0.d1d2…dn × 10^p.
    private static (string Digits, int Point) Digits(string shortest)
    {
        var exponentAt = shortest.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? mantissa : mantissa[..dot];
        var fraction = dot < 0 ? string.Empty : mantissa[(dot + 1)..];
        var all = integerPart + fraction;
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        var point = integerPart.Length - leadingZeros + exponent;
        return (digits, point);
    }
}

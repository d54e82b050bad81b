using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Pottery;

/// <summary>Writes values in Python's <c>json.dumps(sort_keys=True)</c> layout; <see cref="PotteryJson"/> is the public face.</summary>
internal static class PotteryJsonWriter
{
    private const string Hex = "0123456789abcdef";

    public static void Write(StringBuilder output, object? value, int depth)
    {
        if (depth > PotteryJson.MaxDepth)
        {
            throw new NotSupportedException($"The value is nested more than {PotteryJson.MaxDepth} levels deep (or contains itself).");
        }

        switch (value)
        {
            case null:
                output.Append("null");
                break;
            case bool flag:
                output.Append(flag ? "true" : "false");
                break;
            case string text:
                WriteString(output, text);
                break;
            case char c:
                WriteString(output, c.ToString());
                break;
            case double d:
                PythonFloat.Write(output, d);
                break;
            case float f:
                PythonFloat.Write(output, f);
                break;
            case Half h:
                PythonFloat.Write(output, (double)h);
                break;
            case decimal m:
                PythonFloat.Write(output, m);
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong or Int128 or UInt128 or BigInteger:
                output.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case IDictionary dictionary:
                WriteObject(output, Entries(dictionary), depth);
                break;
            case IReadOnlyDictionary<string, object?> dictionary:
                WriteObject(output, dictionary.Select(e => ((object?)e.Key, e.Value)), depth);
                break;
            case IEnumerable sequence:
                WriteArray(output, sequence, depth);
                break;
            default:
                throw new NotSupportedException($"{value.GetType().FullName} has no JSON form that Python pottery would read; use a string, number, bool, null, list or dictionary.");
        }
    }

    private static IEnumerable<(object? Key, object? Value)> Entries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            yield return (entry.Key, entry.Value);
        }
    }

    // sort_keys sorts the keys themselves, before they become text: numbers by value, strings by code point.
    private static void WriteObject(StringBuilder output, IEnumerable<(object? Key, object? Value)> entries, int depth)
    {
        var sorted = entries.ToList();
        PythonKeyComparer.EnsureComparable(sorted.Select(e => e.Key));
        sorted.Sort((a, b) => PythonKeyComparer.Instance.Compare(a.Key, b.Key));
        output.Append('{');
        var first = true;
        foreach (var (key, value) in sorted)
        {
            if (!first)
            {
                output.Append(", ");
            }

            first = false;
            WriteString(output, PotteryJson.KeyText(key));
            output.Append(": ");
            Write(output, value, depth + 1);
        }

        output.Append('}');
    }

    private static void WriteArray(StringBuilder output, IEnumerable sequence, int depth)
    {
        output.Append('[');
        var first = true;
        foreach (var item in sequence)
        {
            if (!first)
            {
                output.Append(", ");
            }

            first = false;
            Write(output, item, depth + 1);
        }

        output.Append(']');
    }

    // ensure_ascii: everything outside printable ASCII is escaped, each UTF-16 unit on its own.
    private static void WriteString(StringBuilder output, string text)
    {
        output.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                case >= ' ' and <= '~':
                    output.Append(c);
                    break;
                default:
                    output.Append("\\u").Append(Hex[c >> 12]).Append(Hex[(c >> 8) & 0xF]).Append(Hex[(c >> 4) & 0xF]).Append(Hex[c & 0xF]);
                    break;
            }
        }

        output.Append('"');
    }

    // Python's sorted() on dict keys: numbers (bool included) by value, str by code point, and no
    // order at all between the two, which json.dumps reports as an error.
    private sealed class PythonKeyComparer : IComparer<object?>
    {
        public static readonly PythonKeyComparer Instance = new();

        public static void EnsureComparable(IEnumerable<object?> keys)
        {
            object? firstText = null, firstNumber = null;
            foreach (var key in keys)
            {
                if (AsText(key) is not null)
                {
                    firstText ??= key;
                }
                else if (AsFloat(key) is not null)
                {
                    firstNumber ??= key;
                }
                else
                {
                    throw Unsortable(key, key);
                }

                if (firstText is not null && firstNumber is not null)
                {
                    throw Unsortable(firstText, firstNumber);
                }
            }
        }

        public int Compare(object? x, object? y)
        {
            if (AsText(x) is { } left && AsText(y) is { } right)
            {
                return CompareCodePoints(left, right);
            }

            if (AsInteger(x) is { } a && AsInteger(y) is { } b)
            {
                return a.CompareTo(b);
            }

            if (AsFloat(x) is { } p && AsFloat(y) is { } q)
            {
                return p.CompareTo(q);
            }

            throw Unsortable(x, y);
        }

        private static NotSupportedException Unsortable(object? x, object? y) =>
            new($"Python cannot sort dictionary keys {Describe(x)} and {Describe(y)} together, so json.dumps(sort_keys=True) would fail too.");

        private static string? AsText(object? key) => key switch
        {
            string text => text,
            char c => c.ToString(),
            _ => null,
        };

        private static BigInteger? AsInteger(object? key) => key switch
        {
            bool flag => flag ? BigInteger.One : BigInteger.Zero,
            sbyte or byte or short or ushort or int or uint or long or ulong => BigInteger.Parse(((IFormattable)key).ToString(null, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            Int128 or UInt128 => BigInteger.Parse(((IFormattable)key).ToString(null, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            BigInteger big => big,
            _ => null,
        };

        private static double? AsFloat(object? key) => key switch
        {
            double d => d,
            float f => f,
            Half h => (double)h,
            decimal m => (double)m,
            _ => AsInteger(key) is { } integer ? (double)integer : null,
        };

        private static string Describe(object? key) => key is null ? "None" : $"{key} ({key.GetType().Name})";

        // A lone surrogate counts as its own code point, as in Python's str.
        private static int CompareCodePoints(string left, string right)
        {
            int i = 0, j = 0;
            while (i < left.Length && j < right.Length)
            {
                var order = CodePointAt(left, ref i).CompareTo(CodePointAt(right, ref j));
                if (order != 0)
                {
                    return order;
                }
            }

            return (i < left.Length).CompareTo(j < right.Length);
        }

        private static int CodePointAt(string text, ref int index)
        {
            var c = text[index++];
            if (char.IsHighSurrogate(c) && index < text.Length && char.IsLowSurrogate(text[index]))
            {
                return char.ConvertToUtf32(c, text[index++]);
            }

            return c;
        }
    }
}

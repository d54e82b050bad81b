using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Pottery;

/// <summary>
/// JSON exactly as Python pottery writes it, <c>json.dumps(value, sort_keys=True)</c>: separators
/// <c>", "</c> and <c>": "</c>, non-ASCII escaped as lowercase <c>\uXXXX</c>, floats as Python's
/// <c>repr</c>, <c>NaN</c>/<c>Infinity</c> allowed, object keys sorted by code point. A .NET
/// service that writes with it shares hashes, lists and sets with Python services byte for byte.
/// </summary>
/// <remarks>
/// Values map to Python's: <see langword="null"/>↔<c>None</c>, <see cref="bool"/>, integers
/// (any width, <see cref="BigInteger"/>), floating point, <see cref="string"/>, dictionaries
/// (<see cref="IDictionary"/> or <c>IReadOnlyDictionary&lt;string, object?&gt;</c>) and other
/// sequences (<see cref="IEnumerable"/>) as lists. <see cref="decimal"/> is written as Python
/// writes the equal float (<c>1m</c> as <c>1.0</c>, <c>1.50m</c> as <c>1.5</c>), keeping all its
/// significant digits, so Python reads a float and .NET reads the same decimal back.
/// </remarks>
public static class PotteryJson
{
    /// <summary>The nesting depth beyond which reading gives up, so hostile input cannot overflow the stack.</summary>
    public const int MaxDepth = 512;

    /// <summary>Writes <paramref name="value"/> as Python's <c>json.dumps(value, sort_keys=True)</c> would.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="NotSupportedException">The value, or something inside it, has no JSON form.</exception>
    public static string Serialize(object? value)
    {
        var output = new StringBuilder();
        PotteryJsonWriter.Write(output, value, depth: 0);
        return output.ToString();
    }

    /// <summary>Reads JSON as Python's <c>json.loads</c> would.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>
    /// <see langword="null"/>, <see cref="bool"/>, <see cref="string"/>, <see cref="long"/> (or
    /// <see cref="BigInteger"/> when it does not fit), <see cref="double"/>,
    /// <c>List&lt;object?&gt;</c> or <c>Dictionary&lt;string, object?&gt;</c>.
    /// </returns>
    /// <exception cref="FormatException">The text is not JSON that Python accepts.</exception>
    public static object? Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new PotteryJsonReader(json).ReadDocument();
    }

    // The text Python writes for a dict key: keys are strings, and json.dumps turns non-string
    // keys into the text of their JSON form (True → "true", 1.0 → "1.0", None → "null").
    internal static string KeyText(object? key) => key switch
    {
        string text => text,
        char c => c.ToString(),
        _ => Serialize(key),
    };
}

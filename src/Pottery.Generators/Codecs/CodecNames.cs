using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Pottery.Generators.Codecs;

/// <summary>Names of generated codec classes and their namespace, derived from names that may not be identifiers.</summary>
internal static class CodecNames
{
    /// <summary>The namespace of the codecs shared by a compilation's generated classes.</summary>
    /// <remarks>
    /// Per assembly: the codecs are internal, and an assembly that sees another's internals (InternalsVisibleTo) would
    /// otherwise find each codec twice and warn (CS0436) at every use.
    /// </remarks>
    public static string SharedNamespace(string? assemblyName) => "Pottery.Generated.Codecs." + Identifier(assemblyName ?? string.Empty);

    /// <summary>
    /// A distinct identifier for every name: a name of letters and digits with dots (<c>Shop.Address</c>)
    /// becomes <c>Shop_Address</c>; any other name is escaped character by character behind a <c>_9</c> prefix
    /// (<c>_</c> as <c>_0</c>, <c>.</c> as <c>_1</c>, others as <c>_2</c> and four hex digits), so no two names
    /// map to one identifier.
    /// </summary>
    public static string Identifier(string name)
    {
        name = name.Replace("global::", string.Empty);
        if (name.Length > 0 && char.IsLetter(name[0]) && name.All(c => c == '.' || char.IsLetterOrDigit(c)) && !name.Contains("..") && name[name.Length - 1] != '.')
        {
            var plain = name.Replace('.', '_');
            if (SyntaxFacts.GetKeywordKind(plain) == SyntaxKind.None)
            {
                return plain;
            }
        }

        var escaped = new StringBuilder("_9");
        foreach (var c in name)
        {
            _ = c switch
            {
                '_' => escaped.Append("_0"),
                '.' => escaped.Append("_1"),
                _ when char.IsLetterOrDigit(c) => escaped.Append(c),
                _ => escaped.Append("_2").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return escaped.ToString();
    }
}

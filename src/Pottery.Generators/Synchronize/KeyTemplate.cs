using System.Collections.Generic;
using System.Text;

namespace Pottery.Generators.Synchronize;

/// <summary>Splits a lock key such as <c>"orders:{orderId}"</c> into literal text and placeholders; <c>{{</c> and <c>}}</c> are literal braces.</summary>
internal static class KeyTemplate
{
    /// <summary>The parts in order, or the reason the template is malformed.</summary>
    public static (List<(string Text, bool IsPlaceholder)> Parts, string? Error) Parse(string template)
    {
        var parts = new List<(string, bool)>();
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                return (parts, $"a '}}' at position {i} closes no placeholder (write '}}}}' for a literal brace)");
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            var end = template.IndexOf('}', i + 1);
            if (end < 0)
            {
                return (parts, $"the '{{' at position {i} is never closed (write '{{{{' for a literal brace)");
            }

            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), false));
                literal.Clear();
            }

            parts.Add((template.Substring(i + 1, end - i - 1).Trim(), true));
            i = end;
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), false));
        }

        return (parts, null);
    }
}

using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Model;

/// <summary>Reads an attribute's named arguments (<c>Capacity = 100</c>).</summary>
internal static class AttributeValues
{
    /// <summary>The argument's value, or <c>default</c> when it is not given or not a <typeparamref name="T"/> (broken user code the compiler reports).</summary>
    public static T? Named<T>(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is T value)
            {
                return value;
            }
        }

        return default;
    }
}

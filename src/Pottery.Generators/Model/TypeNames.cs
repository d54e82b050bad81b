using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Model;

/// <summary>How generated code names types: fully qualified (<c>global::</c>), C# keywords for special types.</summary>
internal static class TypeNames
{
    /// <summary>With the nullable-reference <c>?</c> where the declaration has it.</summary>
    public static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>Without the nullable-reference <c>?</c>.</summary>
    public static readonly SymbolDisplayFormat QualifiedPlain = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);
}

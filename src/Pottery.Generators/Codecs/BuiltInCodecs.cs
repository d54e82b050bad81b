using Microsoft.CodeAnalysis;
using Pottery.Generators.Model;

namespace Pottery.Generators.Codecs;

/// <summary>The types the runtime's <c>RedisCodecs.For&lt;T&gt;()</c> handles without generated code.</summary>
internal static class BuiltInCodecs
{
    public static bool Handles(ITypeSymbol type, KnownTypes known)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return Handles(nullable.TypeArguments[0], known);
        }

        if (type.TypeKind == TypeKind.Enum || type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
            case SpecialType.System_DateTime:
                return true;
        }

        return KnownTypes.Is(type, known.Guid) || KnownTypes.Is(type, known.DateTimeOffset) || KnownTypes.Is(type, known.TimeSpan) || KnownTypes.Is(type, known.Half);
    }

    /// <summary>Integer types get <c>Increment…Async</c> over <c>HINCRBY</c>.</summary>
    public static bool IsInteger(ITypeSymbol type) => Underlying(type).SpecialType is
        SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64;

    /// <summary>Floating-point types get <c>Increment…Async</c> over <c>HINCRBYFLOAT</c>.</summary>
    public static bool IsFloating(ITypeSymbol type) => Underlying(type).SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    private static ITypeSymbol Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
}

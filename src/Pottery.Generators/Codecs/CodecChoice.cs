using Microsoft.CodeAnalysis;
using Pottery.Generators.Model;

namespace Pottery.Generators.Codecs;

/// <summary>Where a type's codec comes from.</summary>
internal enum CodecSource
{
    /// <summary>The runtime's <c>RedisCodecs.For&lt;T&gt;()</c> handles it.</summary>
    BuiltIn,

    /// <summary>A MessagePack codec generated for a <c>[MessagePackObject]</c> type.</summary>
    MessagePack,

    /// <summary>A System.Text.Json codec over a <c>JsonSerializerContext</c> that lists the type.</summary>
    Json,

    /// <summary>A <c>[MessagePackObject]</c> type whose shape the generated formatters cannot handle (POT035).</summary>
    BadShape,

    /// <summary>Nothing Pottery can see stores the type (POT032).</summary>
    None,
}

/// <summary>
/// The codec for a type, chosen at compile time in this order: the runtime's built-in one, a
/// generated MessagePack codec for a <c>[MessagePackObject]</c> type, a System.Text.Json codec
/// over a <c>JsonSerializerContext</c> that declares <c>[JsonSerializable(typeof(T))]</c>.
/// </summary>
/// <param name="Source">Where the codec comes from.</param>
/// <param name="Expression">The codec expression for MessagePack and JSON, else null.</param>
/// <param name="Problem">Why a <c>[MessagePackObject]</c> shape cannot be formatted, for <see cref="CodecSource.BadShape"/>.</param>
internal readonly record struct CodecChoice(CodecSource Source, string? Expression, string? Problem)
{
    private static readonly SymbolDisplayFormat TypeFormat = TypeNames.QualifiedPlain;

    public bool Found => Source is CodecSource.BuiltIn or CodecSource.MessagePack or CodecSource.Json;

    /// <summary>Chooses the codec for <paramref name="type"/> used by code inside <paramref name="within"/>.</summary>
    public static CodecChoice For(ITypeSymbol type, KnownTypes known, MessagePackShapes shapes, ISymbol within)
    {
        if (BuiltInCodecs.Handles(type, known))
        {
            return new(CodecSource.BuiltIn, null, null);
        }

        string? problem = null;
        if (KnownTypes.HasAttribute(type, known.MessagePackObjectAttribute))
        {
            if (shapes.CodecFor(type, out problem) is { } codec)
            {
                return new(CodecSource.MessagePack, codec + ".Instance", null);
            }
        }

        if (known.JsonContextFor(type, within) is { } context)
        {
            var plain = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
            return new(CodecSource.Json, Json(plain, context.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)), null);
        }

        // A nullable struct whose underlying type is listed: null is stored as the empty string, as for built-in types.
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && known.JsonContextFor(nullable.TypeArguments[0], within) is { } underlyingContext)
        {
            var underlying = nullable.TypeArguments[0].ToDisplayString(TypeFormat);
            return new(CodecSource.Json, $"new global::Pottery.NullableCodec<{underlying}>({Json(underlying, underlyingContext.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))})", null);
        }

        return problem is null ? new(CodecSource.None, null, null) : new(CodecSource.BadShape, null, problem);
    }

    /// <summary>The error for a codec not found: POT035 for a [MessagePackObject] shape the formatters cannot handle, else POT032.</summary>
    /// <param name="location">Where to report it.</param>
    /// <param name="what">What needs the codec, e.g. <c>[RedisDict] property 'Home'</c>.</param>
    /// <param name="type">The type without a codec.</param>
    public DiagnosticInfo Diagnostic(Location? location, string what, ITypeSymbol type) =>
        Source == CodecSource.BadShape
            ? DiagnosticInfo.Create(PotteryDiagnostics.UnsupportedMessagePackShape, location, what, Problem ?? string.Empty)
            : DiagnosticInfo.Create(PotteryDiagnostics.NoCodec, location, what, type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString());

    // Asked by type rather than by the property STJ names after it, so any naming the context
    // chooses works; a source-generated context answers without reflection.
    private static string Json(string type, string context) =>
        $"new global::Pottery.SystemTextJsonCodec<{type}>((global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type}>){context}.Default.GetTypeInfo(typeof({type}))!)";
}

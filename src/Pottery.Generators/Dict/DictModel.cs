using Pottery.Generators.Model;

namespace Pottery.Generators.Dict;

/// <summary>How a property's increments work, if at all.</summary>
internal enum IncrementKind
{
    None,
    Integer,
    Floating,
}

/// <summary>One stored property: its C# shape, hash field, codec, whether a missing field is an error, and whether the user documented it.</summary>
/// <param name="Codec">The codec expression for MessagePack and JSON; null for the runtime's own (<c>RedisCodecs.For&lt;T&gt;()</c>).</param>
internal sealed record PropertyModel(string Name, string Type, string NonNullableType, string Accessibility, string Field, bool Required, IncrementKind Increment, string CodecType, string? Codec, bool HasUserDocs);

/// <summary>
/// A partial property's implementing part that only throws, emitted when the class has errors so
/// the compiler reports them (POT031…POT035) instead of a missing implementation (CS9248).
/// </summary>
/// <param name="Accessors">The accessors as declared, e.g. <c>get</c> and <c>private set</c>.</param>
internal sealed record PropertyStub(string Accessibility, string Type, string Name, EquatableArray<string> Accessors);

/// <summary>What a <c>[RedisDict]</c> class needs generated; with <see cref="Stubs"/>, only those (the class has errors).</summary>
internal sealed record DictModel(TypeDeclaration Type, string KeyPrefix, double TimeToLiveSeconds, EquatableArray<PropertyModel> Properties, EquatableArray<Codecs.FormatterModel> Formatters, EquatableArray<PropertyStub> Stubs)
{
    public static DictModel StubsOnly(TypeDeclaration type, EquatableArray<PropertyStub> stubs) =>
        new(type, string.Empty, 0, EquatableArray<PropertyModel>.Empty, EquatableArray<Codecs.FormatterModel>.Empty, stubs);
}

using Pottery.Generators.Model;

namespace Pottery.Generators.Dict;

/// <summary>How a property's increments work, if at all.</summary>
internal enum IncrementKind
{
    None,
    Integer,
    Floating,
}

/// <summary>One stored property: its C# shape, hash field, codec, and whether a missing field is an error.</summary>
internal sealed record PropertyModel(string Name, string Type, string NonNullableType, string Accessibility, string Field, bool Required, bool CanBeNull, IncrementKind Increment, string CodecType, string Codec);

/// <summary>What a <c>[RedisDict]</c> class needs generated.</summary>
internal sealed record DictModel(TypeDeclaration Type, string KeyPrefix, double TimeToLiveSeconds, EquatableArray<PropertyModel> Properties, EquatableArray<Codecs.FormatterModel> Formatters);

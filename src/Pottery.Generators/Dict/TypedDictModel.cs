using Pottery.Generators.Codecs;
using Pottery.Generators.Model;

namespace Pottery.Generators.Dict;

/// <summary>What a <c>[RedisDict&lt;TKey, TValue&gt;]</c> class needs generated: a typed <c>RedisDict</c> subclass.</summary>
/// <param name="KeyCodec">The key codec expression, or <c>null</c> for the runtime's choice.</param>
/// <param name="ValueCodec">The value codec expression, or <c>null</c> for the runtime's choice.</param>
/// <param name="IsAbstract">Whether the class is abstract, so cannot be created by a generated factory.</param>
internal sealed record TypedDictModel(TypeDeclaration Type, string KeyType, string ValueType, string KeyCodec, string ValueCodec, bool IsAbstract, EquatableArray<FormatterModel> Formatters);

using Pottery.Generators.Model;

namespace Pottery.Generators.Bloom;

/// <summary>What a <c>[RedisBloom&lt;T&gt;]</c> class needs generated: its declaration, element type and compile-time sizes.</summary>
internal sealed record BloomModel(TypeDeclaration Type, string ElementType, long Capacity, double FalsePositiveRate, long Bits, int Hashes, string Codec, bool IsSealed, EquatableArray<Codecs.FormatterModel> Formatters);

namespace Pottery;

/// <summary>
/// Makes the Pottery source generator emit a typed Bloom filter on this <c>partial</c> class, sized at
/// compile time: <c>[RedisBloom&lt;string&gt;(Capacity = 1_000_000, FalsePositiveRate = 0.001)] public partial class SeenUrls;</c>
/// The class gets <c>Bits</c> and <c>Hashes</c> constants (pottery's formulas, see <see cref="BloomSizing"/>),
/// a constructor over an <c>IDatabase</c> and key, and typed Add/Contains/ContainsMany/Count/Clear members over <see cref="BloomFilter{T}"/>.
/// Parameters that cannot size a filter are compile-time errors.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RedisBloomAttribute<T> : Attribute
{
    /// <summary>How many elements the filter is sized for (pottery's <c>num_elements</c>); at least 1.</summary>
    public long Capacity { get; set; }

    /// <summary>The acceptable false-positive rate, strictly between 0 and 1 (pottery's <c>false_positives</c>).</summary>
    public double FalsePositiveRate { get; set; }
}

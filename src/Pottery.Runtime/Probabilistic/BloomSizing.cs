using System;

namespace Pottery;

/// <summary>
/// Sizes a Bloom filter exactly as pottery does: bits m = ⌈−n·ln p / (ln 2)²⌉ and hash functions
/// k = ⌈m/n · ln 2⌉ for n expected elements and a false-positive rate p. The source generator
/// compiles this same file, so compile-time sizes equal run-time ones.
/// </summary>
#if POTTERY_GENERATOR
internal
#else
public
#endif
static class BloomSizing
{
    /// <summary>The most bits one Redis string can hold (512 MB).</summary>
    public const long MaxBits = 1L << 32;

    /// <summary>Why the parameters cannot size a filter, or <see langword="null"/> when they can.</summary>
    /// <param name="capacity">The number of elements expected (n).</param>
    /// <param name="falsePositiveRate">The acceptable false-positive rate (p).</param>
    /// <returns>A message naming the bad parameter, or <see langword="null"/>.</returns>
    public static string? Problem(long capacity, double falsePositiveRate)
    {
        if (capacity <= 0)
        {
            return $"The capacity must be at least 1 element; it is {capacity}.";
        }

        if (!(falsePositiveRate > 0 && falsePositiveRate < 1))
        {
            return $"The false-positive rate must be between 0 and 1 (exclusive); it is {falsePositiveRate}.";
        }

        var bits = Bits(capacity, falsePositiveRate);
        return bits > MaxBits
            ? $"{capacity} elements at a false-positive rate of {falsePositiveRate} need {bits} bits, more than the {MaxBits} bits a Redis string holds."
            : null;
    }

    /// <summary>The number of bits, m = ⌈−n·ln p / (ln 2)²⌉ (pottery's <c>size()</c>).</summary>
    /// <param name="capacity">The number of elements expected (n).</param>
    /// <param name="falsePositiveRate">The acceptable false-positive rate (p).</param>
    /// <returns>The number of bits.</returns>
    public static long Bits(long capacity, double falsePositiveRate) =>
        (long)Math.Ceiling(-capacity * Math.Log(falsePositiveRate) / Math.Pow(Math.Log(2), 2));

    /// <summary>The number of hash functions, k = ⌈m/n · ln 2⌉ (pottery's <c>num_hashes()</c>).</summary>
    /// <param name="capacity">The number of elements expected (n).</param>
    /// <param name="bits">The number of bits (m).</param>
    /// <returns>The number of hash functions.</returns>
    public static int Hashes(long capacity, long bits) =>
        (int)Math.Ceiling((double)bits / capacity * Math.Log(2));

    /// <summary>
    /// pottery's estimate of the number of distinct elements added, ⌊−m/k · ln(1 − X/m)⌋ for X bits
    /// set; <see cref="long.MaxValue"/> once every bit is set (the estimate is then unbounded).
    /// </summary>
    /// <param name="bits">The number of bits (m).</param>
    /// <param name="hashes">The number of hash functions (k).</param>
    /// <param name="bitsSet">The number of bits set (X).</param>
    /// <returns>The estimated count.</returns>
    public static long EstimateCount(long bits, int hashes, long bitsSet) =>
        bitsSet >= bits ? long.MaxValue : (long)Math.Floor(-(double)bits / hashes * Math.Log(1 - (double)bitsSet / bits));
}

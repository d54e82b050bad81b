namespace Pottery.Runtime.Tests.Probabilistic;

public sealed class BloomSizingTests
{
    [Theory]
    [InlineData(100, 0.1, 480, 4)]
    [InlineData(1000, 0.1, 4793, 4)]
    [InlineData(100, 0.01, 959, 7)]
    [InlineData(1000, 0.01, 9586, 7)]
    public void Sizes_filters_exactly_as_pottery(long capacity, double rate, long bits, int hashes)
    {
        Assert.Null(BloomSizing.Problem(capacity, rate));
        Assert.Equal(bits, BloomSizing.Bits(capacity, rate));
        Assert.Equal(hashes, BloomSizing.Hashes(capacity, bits));
    }

    [Theory]
    [InlineData(0, 0.01, "capacity")]
    [InlineData(-5, 0.01, "capacity")]
    [InlineData(100, 0, "false-positive rate")]
    [InlineData(100, 1, "false-positive rate")]
    [InlineData(100, -0.5, "false-positive rate")]
    [InlineData(100, double.NaN, "false-positive rate")]
    [InlineData(10_000_000_000, 1e-9, "Redis string")]
    public void Names_the_parameter_that_cannot_size_a_filter(long capacity, double rate, string named) =>
        Assert.Contains(named, BloomSizing.Problem(capacity, rate), StringComparison.Ordinal);

    [Fact]
    public void Estimates_the_count_as_pottery_and_saturates_at_max()
    {
        Assert.Equal(0, BloomSizing.EstimateCount(959, 7, 0));
        Assert.Equal((long)Math.Floor(-959.0 / 7 * Math.Log(1 - 7.0 / 959)), BloomSizing.EstimateCount(959, 7, 7));
        Assert.Equal(long.MaxValue, BloomSizing.EstimateCount(959, 7, 959));
    }

    [Theory]
    [InlineData("", 0u, 0)]
    [InlineData("", 1u, 0x514E28B7)]
    [InlineData("", 0xffffffffu, unchecked((int)0x81F16F39))]
    [InlineData("abc", 0u, unchecked((int)0xB3DD93FA))]
    [InlineData("aaaa", 0x9747b28cu, 0x5A97808A)]
    [InlineData("Hello, world!", 0x9747b28cu, 0x24884CBA)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x9747b28cu, 0x2FA826CD)]
    public void MurmurHash3_matches_the_reference_vectors(string text, uint seed, int expected) =>
        Assert.Equal(expected, MurmurHash3.Hash32(System.Text.Encoding.UTF8.GetBytes(text), seed));
}

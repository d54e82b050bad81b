using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

/// <summary>Counts and integer fields are exact 64-bit integers: an operation that would overflow throws and writes nothing.</summary>
public abstract class CheckedArithmeticTests(IRedisFixture redis)
{
    private const long TwoTo53 = 1L << 53;
    private readonly IDatabase _db = redis.Database;

    private async Task<RedisCounter<string>> CounterAsync(params (string Item, long Count)[] counts)
    {
        var counter = new RedisCounter<string>(_db, TestKeys.Unique("counter"));
        foreach (var (item, count) in counts)
        {
            await counter.SetAsync(item, count);
        }

        return counter;
    }

    private static Dictionary<string, long> Counts(params (string Item, long Count)[] counts) =>
        counts.ToDictionary(c => c.Item, c => c.Count);

    [Fact]
    public async Task IncrementRange_past_MaxValue_throws_and_leaves_every_field_unchanged()
    {
        using var c = await CounterAsync(("a", long.MaxValue - 1), ("b", 5));

        var error = await Assert.ThrowsAsync<ArithmeticOverflowException>(async () => await c.IncrementRangeAsync(["b", "a", "a"]));

        Assert.Equal(("a", c.Key.ToString()), (error.Field, error.Key));
        Assert.Equal(Counts(("a", long.MaxValue - 1), ("b", 5)), c.ToDictionary());
    }

    [Fact]
    public async Task Amounts_that_add_up_past_MaxValue_in_memory_throw_instead_of_wrapping()
    {
        using var c = await CounterAsync(("a", 0));

        Assert.Throws<ArithmeticOverflowException>(() => c.IncrementRange([KeyValuePair.Create("a", long.MaxValue), KeyValuePair.Create("a", 1L)]));

        Assert.Equal(0, c["a"]);
    }

    [Fact]
    public async Task A_two_field_update_whose_second_field_overflows_leaves_the_first_unchanged()
    {
        using var c = await CounterAsync(("first", 10), ("second", long.MinValue + 1));

        var error = Assert.Throws<ArithmeticOverflowException>(() => c.DecrementRange([KeyValuePair.Create("first", 3L), KeyValuePair.Create("second", 2L)]));

        Assert.Equal("second", error.Field);
        Assert.Equal(Counts(("first", 10), ("second", long.MinValue + 1)), c.ToDictionary());
    }

    [Fact]
    public async Task Updates_are_exact_across_the_whole_range()
    {
        using var c = await CounterAsync(("a", -5), ("b", TwoTo53));

        // Subtracting MinValue adds 2^63, which no long amount can say; the result still fits.
        await c.DecrementRangeAsync([KeyValuePair.Create("a", long.MinValue)]);
        await c.IncrementRangeAsync(["b"]);

        Assert.Equal(Counts(("a", long.MaxValue - 4), ("b", TwoTo53 + 1)), c.ToDictionary());
    }

    [Fact]
    public async Task A_field_that_is_not_an_integer_fails_the_update_before_anything_is_written()
    {
        using var c = await CounterAsync(("a", 1));
        await _db.HashSetAsync(c.Key, "b", "many");

        var error = await Assert.ThrowsAsync<CodecException>(async () => await c.IncrementRangeAsync(["a", "b"]));

        Assert.Equal(("b", nameof(Int64)), (error.Field, error.TargetType));
        Assert.Contains("'many'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, c["a"]);
    }

    [Fact]
    public async Task Increment_past_MaxValue_throws_a_typed_error_naming_key_and_field()
    {
        using var c = await CounterAsync(("hits", long.MaxValue));

        var error = await Assert.ThrowsAsync<ArithmeticOverflowException>(async () => await c.IncrementAsync("hits"));

        Assert.Equal(("hits", c.Key.ToString()), (error.Field, error.Key));
        Assert.Contains("hits", error.Message, StringComparison.Ordinal);
        Assert.Equal(long.MaxValue, c["hits"]);
        Assert.Equal(long.MaxValue - 1, c.Increment("hits", -1));
    }

    [Theory]
    [InlineData(CounterOperation.Union, TwoTo53 + 1)]
    [InlineData(CounterOperation.Add, TwoTo53 + 2)]
    [InlineData(CounterOperation.Subtract, TwoTo53)]
    [InlineData(CounterOperation.Intersect, 1)]
    public async Task Combine_is_integer_exact(CounterOperation operation, long expected)
    {
        using var c = await CounterAsync(("a", TwoTo53 + 1));
        using var d = await CounterAsync(("a", 1));

        using var inRedis = await c.CombineAsync(operation, d);
        using var inMemory = await c.CombineAsync(operation, Counts(("a", 1)));

        Assert.Equal(Counts(("a", expected)), inRedis.ToDictionary());
        Assert.Equal(Counts(("a", expected)), inMemory.ToDictionary());
    }

    [Fact]
    public async Task MaxValue_union_one_stays_MaxValue()
    {
        using var c = await CounterAsync(("a", long.MaxValue), ("b", long.MaxValue - 1));
        using var d = await CounterAsync(("a", 1), ("b", long.MaxValue));

        using var union = c | d;
        using var intersection = c & d;

        Assert.Equal(Counts(("a", long.MaxValue), ("b", long.MaxValue)), union.ToDictionary());
        Assert.Equal(Counts(("a", 1), ("b", long.MaxValue - 1)), intersection.ToDictionary());
    }

    [Fact]
    public async Task Combine_that_overflows_throws_and_writes_nothing()
    {
        using var c = await CounterAsync(("a", 1), ("b", long.MaxValue));
        using var d = await CounterAsync(("a", 1), ("b", 1));
        // In c's slot, so a cluster runs the script rather than refusing the destination.
        RedisKey destination = "{" + c.Key.ToString() + "}:destination";

        var error = await Assert.ThrowsAsync<ArithmeticOverflowException>(async () => await c.CombineAsync(CounterOperation.Add, d, destination));
        Assert.Throws<ArithmeticOverflowException>(() => c.CombineInPlace(CounterOperation.Add, Counts(("b", 1))));

        Assert.Equal("b", error.Field);
        Assert.False(await _db.KeyExistsAsync(destination));
        Assert.Equal(Counts(("a", 1), ("b", long.MaxValue)), c.ToDictionary());
    }

    [Fact]
    public async Task Negative_results_beyond_MinValue_are_dropped_like_any_non_positive_count()
    {
        using var c = await CounterAsync(("a", long.MinValue), ("b", 3));
        using var d = await CounterAsync(("a", 1), ("b", 1));

        using var difference = c - d;

        Assert.Equal(Counts(("b", 2)), difference.ToDictionary());
    }

    [Fact]
    public async Task Combine_reports_a_count_that_is_not_an_integer()
    {
        using var c = await CounterAsync(("a", 1));
        using var d = await CounterAsync(("a", 1));
        await _db.HashSetAsync(d.Key, "b", "lots");

        var error = await Assert.ThrowsAsync<CodecException>(async () => await c.CombineInPlaceAsync(CounterOperation.Add, d));

        Assert.Equal(("b", d.Key.ToString()), (error.Field, error.Key));
        Assert.Equal(Counts(("a", 1)), c.ToDictionary());
    }

    [Fact]
    public async Task Total_past_MaxValue_throws_a_typed_error()
    {
        using var c = await CounterAsync(("a", long.MaxValue), ("b", 1));

        Assert.Equal(c.Key.ToString(), (await Assert.ThrowsAsync<ArithmeticOverflowException>(async () => await c.TotalAsync())).Key);
    }

    [Fact]
    public async Task Dict_increments_of_values_that_are_not_numbers_or_would_overflow_are_typed()
    {
        using var dict = new RedisDict<string, string>(_db, TestKeys.Unique("dict"));
        dict["word"] = "many";
        dict["big"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        dict["huge"] = "inf";

        var notInteger = Assert.Throws<CodecException>(() => dict.Increment("word"));
        var notFloat = await Assert.ThrowsAsync<CodecException>(async () => await dict.IncrementAsync("word", 0.5));
        var overflow = await Assert.ThrowsAsync<ArithmeticOverflowException>(async () => await dict.IncrementAsync("big", 1));
        var infinite = Assert.Throws<ArithmeticOverflowException>(() => dict.Increment("huge", 1.0));

        Assert.Equal(("word", nameof(Int64), dict.Key.ToString()), (notInteger.Field, notInteger.TargetType, notInteger.Key));
        Assert.Equal(("word", nameof(Double)), (notFloat.Field, notFloat.TargetType));
        Assert.Equal(("big", "huge"), (overflow.Field, infinite.Field));
        Assert.Equal("many", dict["word"]);
        Assert.Equal(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), dict["big"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Generated_increments_name_key_and_field_with_or_without_a_time_to_live(bool withTimeToLive)
    {
        var key = TestKeys.Unique("generated");
        TimeSpan? ttl = withTimeToLive ? TimeSpan.FromMinutes(1) : null;
        await _db.HashSetAsync(key, [new HashEntry("Visits", "many"), new HashEntry("Total", long.MaxValue), new HashEntry("Score", "high")]);

        var notInteger = await Assert.ThrowsAsync<CodecException>(async () => await GeneratedHash.IncrementAsync(_db, key, "Visits", 1, ttl));
        var overflow = await Assert.ThrowsAsync<ArithmeticOverflowException>(async () => await GeneratedHash.IncrementAsync(_db, key, "Total", 1, ttl));
        var notFloat = await Assert.ThrowsAsync<CodecException>(async () => await GeneratedHash.IncrementAsync(_db, key, "Score", 1.5, ttl));

        Assert.Equal(("Visits", key.ToString()), (notInteger.Field, notInteger.Key));
        Assert.Equal(("Total", key.ToString()), (overflow.Field, overflow.Key));
        Assert.Equal("Score", notFloat.Field);
        Assert.Equal(long.MaxValue, (long)await _db.HashGetAsync(key, "Total"));
    }
}

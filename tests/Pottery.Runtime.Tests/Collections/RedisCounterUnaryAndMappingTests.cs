using Pottery.Runtime.Tests.Infrastructure;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

/// <summary><c>Counter(mapping)</c>, <c>+c</c> and <c>-c</c>, checked against what python3's collections.Counter answers.</summary>
public abstract class RedisCounterUnaryAndMappingTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    // Counter({'a': 2, 'b': 0, 'c': -3, 'd': 5})
    private static Dictionary<string, long> Mixed() => new() { ["a"] = 2, ["b"] = 0, ["c"] = -3, ["d"] = 5 };

    [Fact]
    public async Task A_counter_made_from_a_mapping_keeps_every_count_as_given_like_python()
    {
        // Counter({'a': 2, 'b': 0, 'c': -1}) == {'a': 2, 'b': 0, 'c': -1}
        var key = TestKeys.Unique();
        using var counter = new RedisCounter<string>(_db, new Dictionary<string, long> { ["a"] = 2, ["b"] = 0, ["c"] = -1 }, key);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["b"] = 0, ["c"] = -1 }, counter.ToDictionary());
        Assert.True(counter.ContainsKey("b"));
        Assert.Equal("2", (string?)await _db.HashGetAsync(key, "a"));

        using var created = await RedisCounter<string>.CreateAsync(_db, [KeyValuePair.Create("x", 1L), KeyValuePair.Create("x", 2L)], TestKeys.Unique());
        Assert.Equal(3, created["x"]);

        Assert.Throws<KeyExistsException>(() => new RedisCounter<string>(_db, Mixed(), key));
        await Assert.ThrowsAsync<KeyExistsException>(() => RedisCounter<string>.CreateAsync(_db, Mixed(), key).AsTask());
        Assert.Equal(3, counter.Count);
    }

    [Fact]
    public void Counts_given_twice_that_add_up_past_64_bits_are_refused_and_nothing_is_written()
    {
        var key = TestKeys.Unique();
        Assert.Throws<ArithmeticOverflowException>(() => new RedisCounter<string>(_db, [KeyValuePair.Create("a", long.MaxValue), KeyValuePair.Create("a", 1L)], key));
        Assert.False(_db.KeyExists(key));
    }

    [Fact]
    public async Task Unary_plus_keeps_the_positive_counts_and_unary_minus_negates_the_negative_ones()
    {
        // +Counter({'a': 2, 'b': 0, 'c': -3, 'd': 5}) == {'d': 5, 'a': 2}; -c == {'c': 3}
        var tag = TestKeys.SlotTag();
        using var c = new RedisCounter<string>(_db, Mixed(), TestKeys.Unique(tag + "k0"));

        using var plus = +c;
        using var minus = -c;
        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["d"] = 5 }, plus.ToDictionary());
        Assert.Equal(new Dictionary<string, long> { ["c"] = 3 }, minus.ToDictionary());
        Assert.True(plus.OwnsKey);
        Assert.True(minus.OwnsKey);
        Assert.Equal(Mixed(), c.ToDictionary());

        // A named destination shares the source's slot, as one script needs on a cluster.
        var destination = TestKeys.Unique(tag + "k1");
        using var named = await c.NegateAsync(destination);
        Assert.Equal(destination, named.Key);
        Assert.False(named.OwnsKey);
        Assert.Equal(3, named["c"]);
        using var positive = await c.PlusAsync();
        Assert.Equal(plus.ToDictionary(), positive.ToDictionary());
    }

    [Fact]
    public async Task Unary_operators_are_one_script_each()
    {
        var tag = TestKeys.SlotTag();
        using var c = new RedisCounter<string>(_db, Mixed(), TestKeys.Unique(tag + "k2"));

        using var log = CommandLog.Start(redis.Connection);
        using var negated = c.Negate(TestKeys.Unique(tag + "k3"));
        await using var plus = await c.PlusAsync(TestKeys.Unique(tag + "k4"));
        Assert.Equal(["EVAL", "EVAL"], log.Commands.WithScriptsAsEval());
    }

    [Fact]
    public void Negating_the_smallest_count_overflows_and_writes_nothing()
    {
        var tag = TestKeys.SlotTag();
        using var c = new RedisCounter<string>(_db, [KeyValuePair.Create("a", long.MinValue)], TestKeys.Unique(tag + "k5"));
        var destination = TestKeys.Unique(tag + "k6");
        Assert.Throws<ArithmeticOverflowException>(() => c.Negate(destination));
        Assert.False(_db.KeyExists(destination));
        using var plus = +c;
        Assert.Empty(plus.ToDictionary());
    }
}

using Pottery.Runtime.Tests.Infrastructure;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

public abstract class RedisCounterTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    private RedisCounter<char> Counter(string text, string name = "counter") => new(_db, text, TestKeys.Unique(name));

    private static Dictionary<char, long> Counts(string text) =>
        text.GroupBy(c => c).ToDictionary(g => g.Key, g => (long)g.Count());

    [Fact]
    public void Counts_like_python_counter_from_the_pottery_readme()
    {
        using var c = Counter("abracadabra");

        Assert.Equal(Counts("abracadabra"), c.ToDictionary());
        Assert.Equal(5, c['a']);
        Assert.Equal(0, c['z']);
        Assert.Equal([KeyValuePair.Create('a', 5L), KeyValuePair.Create('b', 2L), KeyValuePair.Create('r', 2L)], c.MostCommon(3));
        Assert.Equal(11, c.Total());
        Assert.Equal(5, c.Count);
        Assert.Equal("aaaaabbcdrr", string.Concat(c.Elements().Order()));
    }

    [Fact]
    public async Task Stored_counts_are_plain_integers_usable_by_HINCRBY()
    {
        using var c = Counter("aab");
        Assert.Equal("2", (string?)await _db.HashGetAsync(c.Key, "a"));

        await _db.HashIncrementAsync(c.Key, "a", 40);

        Assert.Equal(42, await c.GetAsync('a'));
    }

    [Fact]
    public async Task Increments_are_atomic_under_concurrency()
    {
        using var c = new RedisCounter<string>(_db, TestKeys.Unique());

        await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => c.IncrementAsync("hits").AsTask()));
        c.Increment("hits", -100);

        Assert.Equal(400, c["hits"]);
    }

    [Fact]
    public async Task IncrementRange_and_DecrementRange_take_one_round_trip_for_any_size()
    {
        using var c = new RedisCounter<int>(_db, TestKeys.Unique());
        c.IncrementRange([0]);

        using var log = CommandLog.Start(redis.Connection);
        c.IncrementRange(Enumerable.Range(0, 10_000).Select(i => i % 100));
        await c.DecrementRangeAsync(Enumerable.Range(0, 100).Select(i => KeyValuePair.Create(i, 50L)));
        Assert.Equal(["EVAL", "EVAL"], log.Commands.WithScriptsAsEval());

        Assert.Equal(51, c[0]);
        Assert.Equal(50, c[99]);
    }

    [Fact]
    public void DecrementRange_may_leave_zero_and_negative_counts_like_python()
    {
        using var c = Counter("ab");
        c.DecrementRange("abb");
        Assert.Equal(new Dictionary<char, long> { ['a'] = 0, ['b'] = -1 }, c.ToDictionary());
        Assert.Empty(c.Elements());
        Assert.Empty(c.MostCommon(0));
    }

    [Theory]
    [InlineData(CounterOperation.Add, "aaaabbbbc")]
    [InlineData(CounterOperation.Subtract, "aac")]
    [InlineData(CounterOperation.Union, "aaabbc")]
    [InlineData(CounterOperation.Intersect, "abb")]
    public async Task Operators_follow_python_multiset_semantics(CounterOperation operation, string expected)
    {
        // Python: Counter('aaabbc') op Counter('abb') with c, d both counters.
        using var c = Counter("aaabbc", "c");
        using var d = Counter("abb", "d");

        using var combined = c.Combine(operation, d);
        using var withMemory = await c.CombineAsync(operation, Counts("abb"));

        Assert.Equal(Counts(expected), combined.ToDictionary());
        Assert.Equal(Counts(expected), withMemory.ToDictionary());
        Assert.Equal(Counts("aaabbc"), c.ToDictionary());
    }

    [Fact]
    public void Csharp_operators_create_new_counters_and_drop_non_positive_counts()
    {
        using var c = Counter("aaabbc", "c");
        using var d = Counter("abbbbd", "d");

        using var sum = c + d;
        using var difference = c - d;
        using var union = c | d;
        using var intersection = c & d;

        Assert.Equal(Counts("aaaabbbbbbcd"), sum.ToDictionary());
        Assert.Equal(Counts("aac"), difference.ToDictionary());
        Assert.Equal(Counts("aaabbbbcd"), union.ToDictionary());
        Assert.Equal(Counts("abb"), intersection.ToDictionary());
        Assert.True(sum.OwnsKey);
    }

    [Fact]
    public async Task In_place_operators_are_single_scripts()
    {
        using var c = Counter("aaabbc", "c");
        using var d = Counter("abbbbd", "d");
        c.CombineInPlace(CounterOperation.Add, d);

        using var log = CommandLog.Start(redis.Connection);
        await c.CombineInPlaceAsync(CounterOperation.Subtract, Counts("aaaaaaaa"));
        Assert.Equal(["EVAL"], log.Commands.WithScriptsAsEval());

        Assert.Equal(Counts("bbbbbbcd"), c.ToDictionary());
    }

    [Fact]
    public async Task Enumeration_removal_and_presence()
    {
        using var c = Counter("hello");
        var streamed = new Dictionary<char, long>();
        await foreach (var (item, count) in c.AsAsyncEnumerable())
        {
            streamed[item] = count;
        }

        Assert.Equal(Counts("hello"), streamed);
        Assert.True(c.ContainsKey('l'));
        Assert.True(c.TryGetValue('l', out var l));
        Assert.Equal(2, l);
        Assert.True(c.Remove('l'));
        Assert.False(c.ContainsKey('l'));
        c.Clear();
        Assert.Equal(0, await c.TotalAsync());
    }

    [Fact]
    public async Task Bad_input_is_reported()
    {
        var key = TestKeys.Unique();
        await _db.HashSetAsync(key, "a", "many");
        using var c = new RedisCounter<string>(_db, key);
        Assert.Equal("a", Assert.Throws<CodecException>(() => c["a"]).Field);

        var listKey = TestKeys.Unique();
        await _db.ListRightPushAsync(listKey, "x");
        using var wrong = new RedisCounter<string>(_db, listKey);
        Assert.Equal("list", Assert.Throws<WrongTypeException>(() => wrong.IncrementRange(["a"])).ActualType);

        Assert.Throws<KeyExistsException>(() => new RedisCounter<string>(_db, ["b"], key));
    }
}

using Pottery.Runtime.Tests.Infrastructure;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Caching;

public abstract class CachedOrderedDictTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Hydrates_search_results_like_the_pottery_readme()
    {
        var key = TestKeys.Unique("search-results");
        using var first = new CachedOrderedDict<int, string>(_db, key, [1, 2, 3, 4, 5]);
        Assert.Equal([1, 2, 3, 4, 5], first.Misses);
        first[1] = "one";
        first[2] = "two";
        await first.SetAsync(3, "three");
        first.SetItems([new(4, "four"), new(5, "five")]);
        Assert.Empty(first.Misses);
        Assert.Equal(["1: one", "2: two", "3: three", "4: four", "5: five"], first.Select(e => $"{e.Key}: {e.Value}"));

        using var log = CommandLog.Start(redis.Connection);
        var second = await CachedOrderedDict<int, string>.CreateAsync(_db, key, [2, 4, 6, 8, 10]);
        Assert.Equal(["HMGET"], log.Commands);
        Assert.Equal([6, 8, 10], second.Misses);
        Assert.Equal("two", second[2]);
        second[6] = "six";
        second[8] = "eight";
        second[10] = "ten";
        Assert.Empty(second.Misses);
        Assert.Equal(["2: two", "4: four", "6: six", "8: eight", "10: ten"], second.Select(e => $"{e.Key}: {e.Value}"));
    }

    [Fact]
    public async Task Misses_are_not_entries_until_set()
    {
        using var results = new CachedOrderedDict<string, int>(_db, TestKeys.Unique("results"), ["b", "a", "b", "c"]);
        Assert.Equal(["b", "a", "c"], results.OrderedKeys);
        Assert.Empty(results);
        Assert.False(results.ContainsKey("a"));
        Assert.False(results.TryGetValue("a", out _));
        var error = Assert.Throws<KeyNotFoundException>(() => results["a"]);
        Assert.Contains("Misses", error.Message, StringComparison.Ordinal);

        Assert.Equal(1, results.GetOrAdd("a", 1));
        Assert.Equal(1, await results.GetOrAddAsync("a", 99));
        results["z"] = 26;
        Assert.Equal(["a", "z"], results.Keys);
        Assert.Equal(["b", "a", "c", "z"], results.OrderedKeys);
        Assert.Equal(["b", "c"], results.Misses);
        Assert.Equal(2, results.Count);
        Assert.Equal([1, 26], results.Values);
    }

    [Fact]
    public async Task Writes_are_one_atomic_script_that_renews_the_timeout()
    {
        var key = TestKeys.Unique("timed");
        using var results = new CachedOrderedDict<int, string>(_db, key, [1, 2, 3], timeout: TimeSpan.FromSeconds(30));

        using (var log = CommandLog.Start(redis.Connection))
        {
            await results.SetItemsAsync([new(1, "one"), new(2, "two"), new(3, "three")]);
            Assert.Equal(["EVAL"], log.Commands.WithScriptsAsEval());
        }

        Assert.InRange(await _db.KeyTimeToLiveAsync(key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal(3, await _db.HashLengthAsync(key));

        using var forever = new CachedOrderedDict<int, string>(_db, TestKeys.Unique("forever"), [1], Timeout.InfiniteTimeSpan);
        forever[1] = "one";
        Assert.Null(await _db.KeyTimeToLiveAsync(forever.Key));
        Assert.Null(forever.Timeout);
    }

    [Fact]
    public async Task By_default_the_cache_expires_after_60_seconds_like_pottery_and_RedisCache()
    {
        using var results = new CachedOrderedDict<int, string>(_db, TestKeys.Unique("default"), [1]);
        await results.SetAsync(1, "one");

        Assert.Equal(RedisCache.DefaultTimeout, results.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(60), results.Timeout);
        Assert.InRange(await _db.KeyTimeToLiveAsync(results.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Bad_data_at_the_key_is_a_typed_error_and_a_failed_write_changes_nothing()
    {
        var listKey = TestKeys.Unique("list");
        await _db.ListRightPushAsync(listKey, "x");
        Assert.Throws<WrongTypeException>(() => new CachedOrderedDict<int, string>(_db, listKey, [1]));

        var hashKey = TestKeys.Unique("garbled");
        await _db.HashSetAsync(hashKey, "1", "not a number");
        var error = await Assert.ThrowsAsync<CodecException>(() => CachedOrderedDict<int, int>.CreateAsync(_db, hashKey, [1]).AsTask());
        Assert.Equal("1", error.Field);

        using var empty = new CachedOrderedDict<int, string>(_db, TestKeys.Unique("empty"), [1]);
        await _db.ListRightPushAsync(empty.Key, "x");
        Assert.Throws<WrongTypeException>(() => empty[1] = "one");
        Assert.Equal([1], empty.Misses);
        Assert.Empty(empty);
    }

    [Fact]
    public void A_timeout_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachedOrderedDict<int, string>(_db, TestKeys.Unique("bad"), [1], TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachedOrderedDict<int, string>(_db, TestKeys.Unique("bad"), [1], TimeSpan.FromSeconds(-1)));
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

public abstract class RedisDictTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public void Behaves_like_pottery_readme_tel_example()
    {
        using var tel = new RedisDict<string, int>(_db, new Dictionary<string, int> { ["jack"] = 4098, ["sape"] = 4139 }, TestKeys.Unique("tel"));
        tel["guido"] = 4127;
        Assert.Equal(4098, tel["jack"]);
        Assert.True(tel.Remove("sape"));
        tel["irv"] = 4127;

        Assert.Equal(new Dictionary<string, int> { ["jack"] = 4098, ["guido"] = 4127, ["irv"] = 4127 }, tel.ToDictionary());
        Assert.Equal(["guido", "irv", "jack"], tel.Keys.Order());
        Assert.True(tel.ContainsKey("guido"));
        Assert.False(tel.ContainsKey("sape"));
        Assert.Equal(3, tel.Count);
    }

    [Fact]
    public async Task Async_members_mirror_the_sync_ones()
    {
        var key = TestKeys.Unique();
        await using var dict = new RedisDict<string, double>(_db, key);

        await dict.SetAsync("pi", 3.14);
        await dict.AddAsync("e", 2.71);
        Assert.False(await dict.TryAddAsync("e", 0));
        Assert.Equal(3.14, await dict.GetAsync("pi"));
        Assert.Equal((true, 2.71), await dict.TryGetValueAsync("e"));
        Assert.False((await dict.TryGetValueAsync("phi")).Found);
        Assert.Equal(2, await dict.CountAsync());
        Assert.True(await dict.ContainsKeyAsync("pi"));
        Assert.Equal(["e", "pi"], (await dict.KeysAsync()).Order());
        Assert.Equal([2.71, 3.14], (await dict.ValuesAsync()).Order());
        Assert.True(await dict.RemoveAsync("pi"));
        Assert.False(await dict.RemoveAsync("pi"));
        await dict.ClearAsync();
        Assert.Equal(0, await dict.CountAsync());
    }

    [Fact]
    public void Missing_keys_raise_KeyNotFoundException_naming_them()
    {
        using var dict = new RedisDict<string, string>(_db, TestKeys.Unique());

        var error = Assert.Throws<KeyNotFoundException>(() => dict["nobody"]);

        Assert.Contains("'nobody'", error.Message, StringComparison.Ordinal);
        Assert.False(dict.TryGetValue("nobody", out _));
        Assert.False(dict.Remove("nobody"));
    }

    [Fact]
    public async Task Missing_keys_raise_KeyNotFoundException_async_too()
    {
        using var dict = new RedisDict<string, string>(_db, TestKeys.Unique());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => dict.GetAsync("nobody").AsTask());
    }

    [Fact]
    public void Add_refuses_an_existing_key_like_Dictionary()
    {
        using var dict = new RedisDict<string, int>(_db, TestKeys.Unique()) { ["a"] = 1 };

        Assert.Throws<ArgumentException>(() => dict.Add("a", 2));
        Assert.Equal(1, dict["a"]);
    }

    [Fact]
    public void Initial_contents_over_an_existing_key_raise_KeyExistsException_and_write_nothing()
    {
        var key = TestKeys.Unique();
        _db.HashSet(key, "old", "1");

        Assert.Throws<KeyExistsException>(() => new RedisDict<string, int>(_db, new Dictionary<string, int> { ["new"] = 2 }, key));

        Assert.Equal([new HashEntry("old", "1")], _db.HashGetAll(key));
    }

    [Fact]
    public void Empty_initial_contents_open_an_existing_key()
    {
        var key = TestKeys.Unique();
        _db.HashSet(key, "old", "1");

        using var dict = new RedisDict<string, int>(_db, [], key);

        Assert.Equal(1, dict["old"]);
    }

    [Fact]
    public void SetItems_writes_any_number_of_entries_in_one_HSET()
    {
        using var dict = new RedisDict<int, string>(_db, TestKeys.Unique());
        var entries = Enumerable.Range(0, 10_000).Select(i => KeyValuePair.Create(i, $"v{i}")).ToArray();

        using (var log = CommandLog.Start(redis.Connection))
        {
            dict.SetItems(entries);
            Assert.Equal(["HMSET"], log.Commands);
        }

        using (var log = CommandLog.Start(redis.Connection))
        {
            var copy = dict.ToDictionary();
            Assert.Equal(["HGETALL"], log.Commands);
            Assert.Equal(10_000, copy.Count);
            Assert.Equal("v9999", copy[9999]);
        }
    }

    [Fact]
    public async Task SetItemsAsync_and_construction_are_one_round_trip_each()
    {
        var key = TestKeys.Unique();
        using (var log = CommandLog.Start(redis.Connection))
        {
            using var dict = new RedisDict<string, int>(_db, new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, key);
            await dict.SetItemsAsync([KeyValuePair.Create("c", 3), KeyValuePair.Create("a", 10)]);
            Assert.Equal(["EXEC", "HMSET"], log.Commands);
        }

        using var reopened = new RedisDict<string, int>(_db, key);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 10, ["b"] = 2, ["c"] = 3 }, await reopened.ToDictionaryAsync());
    }

    [Fact]
    public async Task Enumeration_streams_every_entry_sync_and_async()
    {
        using var dict = new RedisDict<string, int>(_db, Enumerable.Range(0, 2_500).Select(i => KeyValuePair.Create($"k{i}", i)), TestKeys.Unique());

        var synced = dict.ToList();
        var streamed = new List<KeyValuePair<string, int>>();
        await foreach (var entry in dict.AsAsyncEnumerable())
        {
            streamed.Add(entry);
        }

        Assert.Equal(2_500, synced.DistinctBy(e => e.Key).Count());
        Assert.Equal(Enumerable.Range(0, 2_500), streamed.Select(e => e.Value).Order());
        Assert.All(synced, e => Assert.Equal($"k{e.Value}", e.Key));
    }

    [Fact]
    public void Empty_dictionary_behaves()
    {
        using var dict = new RedisDict<string, int>(_db);
        Assert.Empty(dict.ToList());
        Assert.Empty(dict.Keys);
        Assert.Empty(dict.ToDictionary());
        Assert.True(dict.Count == 0);
        dict.SetItems([]);
        dict.Clear();
    }

    [Fact]
    public void Unicode_keys_and_values_round_trip()
    {
        using var dict = new RedisDict<string, string>(_db, TestKeys.Unique()) { ["ünï 漢字"] = "🎉", [string.Empty] = string.Empty };
        Assert.Equal("🎉", dict["ünï 漢字"]);
        Assert.Equal(string.Empty, dict[string.Empty]);
    }

    [Fact]
    public async Task Increment_is_atomic_under_concurrency()
    {
        using var dict = new RedisDict<string, long>(_db, TestKeys.Unique());

        await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => dict.IncrementAsync("hits").AsTask()));
        dict.Increment("ratio", 0.5);

        Assert.Equal(1_000, dict["hits"]);
        Assert.Equal(1_005, dict.Increment("hits", 5));
        Assert.Equal(0.5, new RedisDict<string, double>(_db, dict.Key)["ratio"]);
    }

    [Fact]
    public async Task Equality_between_redis_dicts_is_computed_by_the_server()
    {
        var slot = TestKeys.SlotTag();
        using var a = new RedisDict<string, int>(_db, new Dictionary<string, int> { ["x"] = 1, ["y"] = 2 }, TestKeys.Unique(slot + "a"));
        using var b = new RedisDict<string, int>(_db, new Dictionary<string, int> { ["y"] = 2, ["x"] = 1 }, TestKeys.Unique(slot + "b"));
        using var c = new RedisDict<string, int>(_db, new Dictionary<string, int> { ["x"] = 1, ["y"] = 3 }, TestKeys.Unique(slot + "c"));
        Assert.True(a.ContentEquals(b));

        using var log = CommandLog.Start(redis.Connection);
        Assert.True(await a.ContentEqualsAsync(b));
        Assert.False(await a.ContentEqualsAsync(c));
        Assert.DoesNotContain("HGETALL", log.Commands);
        Assert.All(log.Commands, c => Assert.StartsWith("EVAL", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Equality_across_servers_and_with_plain_dictionaries_is_computed_here()
    {
        await using var other = await RedisServer.StartAsync();
        await using var connection = await other.ConnectAsync();
        using var here = new RedisDict<string, int>(_db, new Dictionary<string, int> { ["x"] = 1 }, TestKeys.Unique());
        using var there = new RedisDict<string, int>(connection.GetDatabase(), new Dictionary<string, int> { ["x"] = 1 }, TestKeys.Unique());

        Assert.True(here.ContentEquals(there));
        Assert.True(await here.ContentEqualsAsync(there));
        Assert.True(here.ContentEquals(new Dictionary<string, int> { ["x"] = 1 }));
        Assert.False(await here.ContentEqualsAsync(new Dictionary<string, int> { ["x"] = 2 }));
        Assert.False(here.ContentEquals(new Dictionary<string, int> { ["x"] = 1, ["y"] = 1 }));
    }

    [Fact]
    public void Removing_a_pair_removes_only_when_the_value_matches()
    {
        ICollection<KeyValuePair<string, int>> dict = new RedisDict<string, int>(_db, TestKeys.Unique()) { ["a"] = 1 };

        Assert.False(dict.Remove(KeyValuePair.Create("a", 2)));
        Assert.True(dict.Contains(KeyValuePair.Create("a", 1)));
        Assert.True(dict.Remove(KeyValuePair.Create("a", 1)));
        Assert.Empty(dict);
    }

    [Fact]
    public async Task A_key_holding_another_type_raises_WrongTypeException()
    {
        var key = TestKeys.Unique();
        await _db.ListRightPushAsync(key, "x");
        using var dict = new RedisDict<string, int>(_db, key);

        var error = Assert.Throws<WrongTypeException>(() => dict["a"] = 1);
        await Assert.ThrowsAsync<WrongTypeException>(() => dict.GetAsync("a").AsTask());
        Assert.Throws<WrongTypeException>(() => dict.ToList());

        Assert.Equal("list", error.ActualType);
        Assert.Equal("hash", error.ExpectedType);
    }

    [Fact]
    public async Task Undecodable_values_raise_CodecException_naming_key_and_field()
    {
        var key = TestKeys.Unique();
        await _db.HashSetAsync(key, "age", "forty");
        using var dict = new RedisDict<string, int>(_db, key);

        var error = Assert.Throws<CodecException>(() => dict["age"]);
        var scanned = Assert.Throws<CodecException>(() => dict.ToDictionary());

        Assert.Equal("age", error.Field);
        Assert.Equal(key.ToString(), scanned.Key);
    }

    [Fact]
    public async Task A_cancelled_token_writes_nothing()
    {
        var key = TestKeys.Unique();
        using var dict = new RedisDict<string, int>(_db, key);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dict.SetAsync("a", 1, cancelled.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dict.SetItemsAsync([KeyValuePair.Create("a", 1)], cancelled.Token).AsTask());

        Assert.False(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_killed_server_raises_RedisUnavailableException()
    {
        await using var down = await KilledServer.StartAsync();
        using var dict = new RedisDict<string, int>(down.Database, TestKeys.Unique());

        Assert.Throws<RedisUnavailableException>(() => dict.SetItems([KeyValuePair.Create("a", 1)]));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => dict.GetAsync("a").AsTask());
    }

    [Fact]
    public void Random_keys_are_deleted_on_dispose()
    {
        RedisKey key;
        using (var dict = new RedisDict<string, int>(_db, new Dictionary<string, int> { ["a"] = 1 }))
        {
            key = dict.Key;
            Assert.True(_db.KeyExists(key));
        }

        Assert.False(_db.KeyExists(key));
    }
}

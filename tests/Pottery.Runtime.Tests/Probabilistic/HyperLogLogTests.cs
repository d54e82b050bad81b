using Pottery.Runtime.Tests.Infrastructure;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Probabilistic;

public abstract class HyperLogLogTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    private HyperLogLog<string> Searches(params string[] items) => new(_db, items, TestKeys.Unique("searches"));

    private HyperLogLog<string> SearchesIn(string slot, params string[] items) => new(_db, items, TestKeys.Unique(slot + "searches"));

    [Fact]
    public async Task Behaves_like_the_pottery_readme()
    {
        using var searches = Searches("sonic the hedgehog video game", "google in 1998", "minesweeper");
        Assert.Equal(3, searches.Count);

        Assert.True(searches.Add("joey tribbiani"));
        Assert.False(await searches.AddAsync("minesweeper"));
        Assert.True(await searches.AddRangeAsync(["joey tribbiani", "chandler bing"]));
        Assert.Equal(5, await searches.CountAsync());

        Assert.True(searches.Contains("joey tribbiani"));
        Assert.False(await searches.ContainsAsync("ross geller"));
        Assert.Equal(new[] { true, false, true }, await searches.ContainsManyAsync(["minesweeper", "ross geller", "chandler bing"]));

        await searches.ClearAsync();
        Assert.Equal(0, searches.Count);
    }

    [Fact]
    public async Task Contains_is_one_script_that_leaves_no_trace()
    {
        using var searches = Searches("a", "b", "c");
        var before = await _db.StringGetAsync(searches.Key);
        // Only keys named after this HyperLogLog: other classes share the server on a cluster and on Garnet.
        var keys = KeysNamedAfter(searches.Key);

        using (var log = CommandLog.Start(redis.Connection))
        {
            Assert.Equal(new[] { true, false, true, false }, await searches.ContainsManyAsync(["a", "z", "c", "y"]));
            Assert.Equal(["EVAL"], log.Commands.WithScriptsAsEval());
        }

        Assert.Equal(before, await _db.StringGetAsync(searches.Key));
        Assert.Equal(keys, KeysNamedAfter(searches.Key));
    }

    private string[] KeysNamedAfter(RedisKey key) =>
        redis.Connection.GetServers().Where(server => !server.IsReplica).SelectMany(server => server.Keys(pattern: $"*{key}*")).Select(k => k.ToString()).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_missing_hyperloglog_contains_nothing_and_counts_zero()
    {
        using var empty = new HyperLogLog<string>(_db, TestKeys.Unique("empty"));
        Assert.Equal(new[] { false, false }, await empty.ContainsManyAsync(["a", "b"]));
        Assert.Equal(0, await empty.CountAsync());
        Assert.False(await _db.KeyExistsAsync(empty.Key));
    }

    [Fact]
    public async Task Union_and_merge_run_in_redis_and_leave_the_sources_unchanged()
    {
        var slot = TestKeys.SlotTag();
        using var a = SearchesIn(slot, "a", "b", "c");
        using var b = SearchesIn(slot, "c", "d");
        using var c = SearchesIn(slot, "e");

        using (var log = CommandLog.Start(redis.Connection))
        {
            using var union = await a.UnionAsync([b, c]);
            Assert.Equal(["PFMERGE"], log.Commands.Where(command => command != "EXISTS"));
            Assert.Equal(5, await union.CountAsync());
        }

        Assert.Equal(3, await a.CountAsync());
        a.UnionWith([b]);
        Assert.Equal(4, await a.CountAsync());
        Assert.Equal(2, await b.CountAsync());
    }

    [Fact]
    public async Task Merges_a_hyperloglog_from_another_server_by_copying_it()
    {
        // Another server of the same kind: Garnet's HyperLogLogs are not stored as Redis' are.
        await using IAsyncDisposable other = redis.Kind == ServerKind.Garnet ? await GarnetServer.StartAsync() : await RedisServer.StartAsync();
        using var connection = await (other is GarnetServer garnet ? garnet.ConnectAsync() : ((RedisServer)other).ConnectAsync());
        using var local = Searches("a", "b");
        using var remote = new HyperLogLog<string>(connection.GetDatabase(), ["b", "c", "d"], TestKeys.Unique("remote"));

        await local.UnionWithAsync([remote]);

        Assert.Equal(4, await local.CountAsync());
        Assert.Equal(3, await remote.CountAsync());
    }

    [Fact]
    public async Task A_key_of_another_type_is_a_wrong_type_error()
    {
        var key = TestKeys.Unique("list");
        await _db.ListRightPushAsync(key, "x");
        using var hll = new HyperLogLog<string>(_db, key);

        await Assert.ThrowsAsync<WrongTypeException>(() => hll.AddAsync("x").AsTask());
        Assert.Throws<WrongTypeException>(() => hll.Contains("x"));
        await Assert.ThrowsAsync<WrongTypeException>(() => hll.CountAsync().AsTask());
        Assert.Equal(1, await _db.ListLengthAsync(key));
    }

    [Fact]
    public async Task Counts_large_cardinalities_within_two_percent()
    {
        using var hll = new HyperLogLog<int>(_db, TestKeys.Unique("numbers"));
        foreach (var chunk in Enumerable.Range(0, 100_000).Chunk(10_000))
        {
            await hll.AddRangeAsync(chunk);
        }

        Assert.InRange(await hll.CountAsync(), 98_000, 102_000);
    }
}

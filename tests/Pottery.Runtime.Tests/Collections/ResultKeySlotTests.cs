using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

// A result that one script writes from a structure must be in that structure's hash slot on Redis
// Cluster; a random result key gets the source's hash tag, whatever the server kind.
public abstract class ResultKeySlotTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Counter_operators_write_their_result_in_the_left_counters_slot()
    {
        using var a = new RedisCounter<string>(_db, ["x", "x", "y"], TestKeys.Unique("a"));
        using var b = new RedisCounter<string>(_db, ["x", "z"], TestKeys.Unique("b"));

        using var sum = a + b;
        using var difference = a - b;
        using var union = a | b;
        using var intersection = a & b;
        using var combined = await a.CombineAsync(CounterOperation.Add, new Dictionary<string, long> { ["w"] = 4 });

        Assert.All(new[] { sum, difference, union, intersection, combined }, result =>
        {
            Assert.True(result.OwnsKey);
            Assert.Equal(HashSlot.Of(a.Key), HashSlot.Of(result.Key));
        });
        Assert.Equal(new Dictionary<string, long> { ["x"] = 3, ["y"] = 1, ["z"] = 1 }, await sum.ToDictionaryAsync());
        Assert.Equal(new Dictionary<string, long> { ["x"] = 1, ["y"] = 1 }, await difference.ToDictionaryAsync());
        Assert.Equal(new Dictionary<string, long> { ["x"] = 2, ["y"] = 1, ["z"] = 1 }, await union.ToDictionaryAsync());
        Assert.Equal(new Dictionary<string, long> { ["x"] = 1 }, await intersection.ToDictionaryAsync());
        Assert.Equal(new Dictionary<string, long> { ["x"] = 2, ["y"] = 1, ["w"] = 4 }, await combined.ToDictionaryAsync());
    }

    [Fact]
    public async Task A_counter_result_on_a_random_key_is_deleted_with_it()
    {
        using var a = new RedisCounter<string>(_db, ["x"], TestKeys.Unique("a"));
        var sum = a + a;
        var key = sum.Key;
        Assert.True(await _db.KeyExistsAsync(key));

        await sum.DisposeAsync();

        Assert.False(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Concat_without_a_destination_writes_in_the_source_lists_slot()
    {
        using var a = new RedisList<string>(_db, ["a", "b"], TestKeys.Unique("a"));
        using var b = new RedisList<string>(_db, ["c"], TestKeys.Unique("b"));

        using var joined = await a.ConcatToNewAsync(b);
        using var extended = a.ConcatToNew(["d"]);

        Assert.True(joined.OwnsKey);
        Assert.Equal(HashSlot.Of(a.Key), HashSlot.Of(joined.Key));
        Assert.Equal(HashSlot.Of(a.Key), HashSlot.Of(extended.Key));
        Assert.Equal(["a", "b", "c"], await joined.GetRangeAsync(..));
        Assert.Equal(["a", "b", "d"], await extended.GetRangeAsync(..));
    }

    [Fact]
    public async Task A_destination_in_another_slot_is_refused_on_Cluster_only()
    {
        using var a = new RedisCounter<string>(_db, ["x"], TestKeys.Unique("{left}a"));
        var destination = TestKeys.Unique("{right}c");

        if (redis.Kind == ServerKind.Cluster)
        {
            var error = await Assert.ThrowsAsync<NotSupportedException>(() => a.CombineAsync(CounterOperation.Add, a, destination).AsTask());
            Assert.Contains("{left}", error.Message, StringComparison.Ordinal);
            Assert.False(await _db.KeyExistsAsync(destination));
        }
        else
        {
            using var result = await a.CombineAsync(CounterOperation.Add, a, destination);
            Assert.Equal(2, await result.GetAsync("x"));
        }
    }

    [Fact]
    public async Task HyperLogLog_union_on_a_random_key_writes_in_the_sources_slot()
    {
        using var a = new HyperLogLog<string>(_db, ["a", "b"], TestKeys.Unique("a"));
        using var b = new HyperLogLog<string>(_db, ["c"], TestKeys.Unique("b"));

        using var union = await a.UnionAsync([b]);

        Assert.Equal(HashSlot.Of(a.Key), HashSlot.Of(union.Key));
        Assert.Equal(3, await union.CountAsync());
    }
}

public sealed class ResultKeySlotTestsOnStandalone(RedisServerFixture redis) : ResultKeySlotTests(redis), IClassFixture<RedisServerFixture>;

public sealed class ResultKeySlotTestsOnCluster(SharedClusterFixture redis) : ResultKeySlotTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class ResultKeySlotTestsOnGarnet(SharedGarnetFixture redis) : ResultKeySlotTests(redis), IClassFixture<SharedGarnetFixture>;

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Generators.Tests.Running;

[RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)]
public partial class Dilberts;

/// <summary>The generated Bloom filter, compiled into this assembly by the generator, against a real server.</summary>
public abstract class GeneratedBloomTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public void Sizes_are_compile_time_constants_equal_to_the_runtime_s()
    {
        const long bits = Dilberts.Bits;
        const int hashes = Dilberts.Hashes;
        Assert.Equal((959L, 7), (bits, hashes));
        Assert.Equal((100L, 0.01), (Dilberts.Capacity, Dilberts.FalsePositiveRate));
    }

    [Fact]
    public async Task Every_member_works_against_redis()
    {
        RedisKey key;
        await using (var dilberts = new Dilberts(_db, codec: new PotteryJsonCodec<string>()))
        {
            key = dilberts.Key;
            Assert.Equal(dilberts.Key, dilberts.Filter.Key);
            dilberts.Add("rajiv");
            Assert.Equal([183L, 319, 787, 585, 8, 471, 711], dilberts.Filter.BitOffsets("rajiv"));
            await dilberts.AddAsync("raj");
            dilberts.AddRange(["dan"]);
            await dilberts.AddRangeAsync(["dilbert"]);
            Assert.True(dilberts.Contains("rajiv"));
            Assert.False(await dilberts.ContainsAsync("luis"));
            Assert.Equal(new[] { true, true, false }, dilberts.ContainsMany(["raj", "dan", "luis"]));
            Assert.Equal(new[] { true, false }, await dilberts.ContainsManyAsync(["dilbert", "wally"]));
            Assert.Equal(4, dilberts.Count);
            Assert.Equal(4, await dilberts.CountAsync());
            dilberts.Clear();
            Assert.Equal(0, await dilberts.CountAsync());
            await dilberts.AddAsync("x");
            await dilberts.ClearAsync();
            await dilberts.AddAsync("y");
        }

        Assert.False(await _db.KeyExistsAsync(key));

        using var named = new Dilberts(_db, TestKeys.Unique("dilberts"));
        named.Add("z");
        named.Dispose();
        Assert.True(await _db.KeyExistsAsync(named.Key));
    }
}

using Pottery.Runtime.Tests.Infrastructure;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Codecs;

// pottery's `in` answers False for a value json.dumps cannot encode: it cannot have been stored.
public abstract class UnencodableMembershipTests(IRedisFixture redis)
{
    private static readonly IRedisCodec<object> Json = PotteryJsonCodec<object>.Instance;
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task A_dict_does_not_contain_a_key_the_codec_cannot_encode()
    {
        using var dict = new RedisDict<object, int>(_db, [new("a", 1)], TestKeys.Unique(), Json, RedisCodecs.For<int>());

        Assert.False(dict.ContainsKey(new object()));
        Assert.False(await dict.ContainsKeyAsync(new object()));
        Assert.True(dict.ContainsKey("a"));
    }

    [Fact]
    public async Task A_set_does_not_contain_an_item_the_codec_cannot_encode_and_asks_once_about_the_rest()
    {
        using var set = new RedisSet<object>(_db, ["a", 2L], TestKeys.Unique(), Json);

        Assert.False(set.Contains(new object()));
        Assert.False(await set.ContainsAsync(new object()));
        using (var log = CommandLog.Start(redis.Connection))
        {
            Assert.Equal(new[] { true, false, false, true, false }, await set.ContainsManyAsync(["a", new object(), "b", 2L, new object()]));
            Assert.Equal(["SMISMEMBER"], log.Commands);
        }

        Assert.Equal([false, false], set.ContainsMany([new object(), new object()]));
        Assert.Empty(set.ContainsMany([]));
    }

    [Fact]
    public async Task A_bloom_filter_does_not_contain_an_item_the_codec_cannot_encode()
    {
        using var filter = new BloomFilter<object>(_db, capacity: 100, falsePositiveRate: 0.01, TestKeys.Unique(), Json);
        filter.AddRange(["a", "b"]);

        Assert.False(filter.Contains(new object()));
        Assert.False(await filter.ContainsAsync(new object()));
        using (var log = CommandLog.Start(redis.Connection))
        {
            Assert.Equal(new[] { true, false, true }, await filter.ContainsManyAsync(["a", new object(), "b"]));
            Assert.Single(log.Commands);
        }

        Assert.Equal([false], filter.ContainsMany([new object()]));
    }

    [Fact]
    public async Task A_hyperloglog_does_not_contain_an_item_the_codec_cannot_encode()
    {
        using var log = new HyperLogLog<object>(_db, ["a", "b"], TestKeys.Unique(), Json);

        Assert.False(log.Contains(new object()));
        Assert.False(await log.ContainsAsync(new object()));
        Assert.Equal(new[] { true, false, true }, await log.ContainsManyAsync(["a", new object(), "b"]));
        Assert.Equal([false, false], log.ContainsMany([new object(), new object()]));
    }

    [Fact]
    public async Task A_list_does_not_contain_an_item_the_codec_cannot_encode()
    {
        using var list = new RedisList<object>(_db, ["a", 2L], TestKeys.Unique(), Json);

        Assert.False(list.Contains(new object()));
        Assert.False(await list.ContainsAsync(new object()));
        Assert.Equal(-1, list.IndexOf(new object()));
        Assert.Equal(-1, await list.IndexOfAsync(new object()));
        Assert.Equal(1, list.IndexOf(2L));
    }

    [Fact]
    public async Task A_counter_does_not_contain_an_element_the_codec_cannot_encode()
    {
        using var counter = new RedisCounter<object>(_db, TestKeys.Unique(), Json);
        await counter.IncrementAsync("a");

        Assert.False(counter.ContainsKey(new object()));
        Assert.False(await counter.ContainsKeyAsync(new object()));
        Assert.True(counter.ContainsKey("a"));
    }

    [Fact]
    public async Task Other_codec_failures_are_not_swallowed()
    {
        var codec = new FailingCodec();
        using var dict = new RedisDict<string, int>(_db, TestKeys.Unique(), codec, RedisCodecs.For<int>());
        using var set = new RedisSet<string>(_db, TestKeys.Unique(), codec);
        using var filter = new BloomFilter<string>(_db, 100, 0.01, TestKeys.Unique(), codec);
        using var log = new HyperLogLog<string>(_db, TestKeys.Unique(), codec);

        Assert.Throws<InvalidOperationException>(() => dict.ContainsKey("bad"));
        Assert.Throws<InvalidOperationException>(() => set.Contains("bad"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => set.ContainsManyAsync(["ok", "bad"]).AsTask());
        Assert.Throws<InvalidOperationException>(() => filter.ContainsMany(["bad"]));
        Assert.Throws<InvalidOperationException>(() => log.Contains("bad"));
        Assert.False(dict.ContainsKey("ok"));
    }

    [Fact]
    public void A_disposed_structure_still_refuses_an_unencodable_lookup()
    {
        var set = new RedisSet<object>(_db, TestKeys.Unique(), Json);
        set.Dispose();

        Assert.Throws<ObjectDisposedException>(() => set.Contains(new object()));
        Assert.Throws<ObjectDisposedException>(() => set.ContainsMany([new object()]));
    }

    private sealed class FailingCodec : IRedisCodec<string>
    {
        public RedisValue Encode(string value) => value == "bad" ? throw new InvalidOperationException("not this one") : value;

        public string Decode(RedisValue value) => value!;
    }
}

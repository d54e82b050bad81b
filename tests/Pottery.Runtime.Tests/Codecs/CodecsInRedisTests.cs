using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Codecs;

/// <summary>What the codecs write is what Redis' own commands read and write.</summary>
public abstract class CodecsInRedisTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Integers_are_usable_by_HINCRBY_and_read_back()
    {
        var key = TestKeys.Unique();
        var codec = RedisCodecs.For<long>();
        await _db.HashSetAsync(key, "count", codec.Encode(41));

        await _db.HashIncrementAsync(key, "count", 1);

        Assert.Equal(42, codec.DecodeAt(await _db.HashGetAsync(key, "count"), key, "count"));
    }

    [Fact]
    public async Task Doubles_are_usable_by_INCRBYFLOAT_and_read_back()
    {
        var key = TestKeys.Unique();
        var codec = RedisCodecs.For<double>();
        await _db.StringSetAsync(key, codec.Encode(10.25));

        await _db.StringIncrementAsync(key, 0.25);

        Assert.Equal(10.5, codec.DecodeAt(await _db.StringGetAsync(key), key));
    }

    [Fact]
    public async Task Infinite_scores_that_redis_writes_decode()
    {
        var key = TestKeys.Unique();
        await _db.SortedSetAddAsync(key, "top", double.PositiveInfinity);

        var raw = await _db.ExecuteAsync("ZSCORE", key, "top");

        Assert.Equal(double.PositiveInfinity, RedisCodecs.For<double>().DecodeAt((RedisValue)raw, key, "top"));
    }

    [Fact]
    public async Task Values_survive_the_trip_through_redis_byte_for_byte()
    {
        var key = TestKeys.Unique();
        var text = "ünï 漢字 🎉 " + new string('x', 100_000);
        byte[] bytes = [0, 1, 2, 255, 254];
        await _db.HashSetAsync(key, [new("text", RedisCodecs.For<string>().Encode(text)), new("bytes", RedisCodecs.For<byte[]>().Encode(bytes)), new("when", RedisCodecs.For<DateTimeOffset>().Encode(DateTimeOffset.UnixEpoch))]);

        Assert.Equal(text, RedisCodecs.For<string>().DecodeAt(await _db.HashGetAsync(key, "text"), key, "text"));
        Assert.Equal(bytes, RedisCodecs.For<byte[]>().DecodeAt(await _db.HashGetAsync(key, "bytes"), key, "bytes"));
        Assert.Equal(DateTimeOffset.UnixEpoch, RedisCodecs.For<DateTimeOffset>().DecodeAt(await _db.HashGetAsync(key, "when"), key, "when"));
    }

    [Fact]
    public async Task Undecodable_bytes_name_the_key_field_and_expected_type()
    {
        var key = TestKeys.Unique();
        await _db.HashSetAsync(key, "age", "forty-two");

        var error = Assert.Throws<CodecException>(() => RedisCodecs.For<int>().DecodeAt(_db.HashGet(key, "age"), key, "age"));

        Assert.Equal(key.ToString(), error.Key);
        Assert.Equal("age", error.Field);
        Assert.Equal("Int32", error.TargetType);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("field age", error.Message, StringComparison.Ordinal);
        Assert.Contains("'forty-two'", error.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public void Undecodable_nullable_values_name_the_underlying_type()
    {
        var error = Assert.Throws<CodecException>(() => RedisCodecs.For<int?>().DecodeAt("x", "k"));
        Assert.Equal("Int32?", error.TargetType);
        Assert.Null(error.Field);
    }
}

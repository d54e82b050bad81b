using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Codecs;

/// <summary>
/// Bytes that are not UTF-8 cannot be read as a string without losing them, so every string read
/// refuses them with a <see cref="CodecException"/> instead of replacing them (which a
/// read-modify-write would then store).
/// </summary>
public sealed class InvalidUtf8Tests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly RedisValue NotUtf8 = new byte[] { (byte)'a', 0xFF, 0xFE };
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public void The_string_codec_refuses_bytes_that_are_not_utf8()
    {
        var error = Assert.Throws<CodecException>(() => StringCodec.Instance.DecodeAt(NotUtf8, "k", "f"));

        Assert.Equal(("k", "f", nameof(String)), (error.Key, error.Field, error.TargetType));
        Assert.Equal("é", StringCodec.Instance.Decode(StringCodec.Instance.Encode("é")));
        Assert.Equal(string.Empty, StringCodec.Instance.Decode(RedisValue.EmptyString));
    }

    [Fact]
    public async Task Dict_values_and_keys_that_are_not_utf8_are_refused()
    {
        var key = TestKeys.Unique();
        await _db.HashSetAsync(key, [new HashEntry("name", NotUtf8), new HashEntry(NotUtf8, "value")]);
        using var dict = new RedisDict<string, string>(_db, key);

        Assert.Equal("name", Assert.Throws<CodecException>(() => dict["name"]).Field);
        await Assert.ThrowsAsync<CodecException>(async () => await dict.ToDictionaryAsync());
        Assert.Throws<CodecException>(() => dict.Keys);
        Assert.Throws<CodecException>(() => dict.ToList());
        Assert.Equal(NotUtf8, await _db.HashGetAsync(key, "name"));
    }

    [Fact]
    public async Task List_set_counter_and_generated_reads_refuse_them_too()
    {
        var list = TestKeys.Unique("list");
        await _db.ListRightPushAsync(list, NotUtf8);
        var set = TestKeys.Unique("set");
        await _db.SetAddAsync(set, NotUtf8);
        var counter = TestKeys.Unique("counter");
        await _db.HashSetAsync(counter, NotUtf8, 1);
        var generated = TestKeys.Unique("generated");
        await _db.HashSetAsync(generated, "Name", NotUtf8);

        Assert.Throws<CodecException>(() => new RedisList<string>(_db, list)[0]);
        Assert.Throws<CodecException>(() => new RedisList<string>(_db, list).ToList());
        Assert.Throws<CodecException>(() => new RedisSet<string>(_db, set).ToHashSet());
        Assert.Throws<CodecException>(() => new RedisCounter<string>(_db, counter).MostCommon());
        Assert.Equal("Name", (await Assert.ThrowsAsync<CodecException>(async () => await GeneratedHash.GetAsync(_db, generated, "Name", StringCodec.Instance, required: true))).Field);
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Generators.Tests.Running;

[RedisDict<string, int>]
public partial class Tel;

[RedisDict<Guid, Point>]
public partial class Pins;

[RedisBloom<Point>(Capacity = 1000, FalsePositiveRate = 0.01)]
public partial class SeenPoints;

/// <summary>[RedisDict&lt;TKey, TValue&gt;] and [RedisBloom&lt;T&gt;] over generated codecs, against a real server.</summary>
public sealed class GeneratedTypedDictTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task A_typed_dictionary_is_a_RedisDict()
    {
        using var tel = new Tel(_db, TestKeys.Unique("tel"));
        tel["jack"] = 4098;
        tel.Add("sape", 4139);
        RedisDict<string, int> asDict = tel;

        Assert.Equal(4098, asDict["jack"]);
        Assert.Equal("4139", (string?)await _db.HashGetAsync(tel.Key, "sape"));
        Assert.Equal(2, tel.Count);

        using var initial = new Tel(_db, [KeyValuePair.Create("guido", 4127)], TestKeys.Unique("tel2"));
        Assert.Equal(4127, initial["guido"]);
    }

    [Fact]
    public async Task CreateAsync_makes_the_generated_type_with_its_codecs()
    {
        var id = Guid.NewGuid();
        using Pins pins = await Pins.CreateAsync(_db, [KeyValuePair.Create(id, new Point(3, 4))], TestKeys.Unique("pins-created"));

        Assert.Equal(new Point(3, 4), await pins.GetAsync(id));
        await Assert.ThrowsAsync<KeyExistsException>(async () => await Pins.CreateAsync(_db, [KeyValuePair.Create(id, new Point(5, 6))], pins.Key));
        Assert.Throws<KeyExistsException>(() => new Pins(_db, [KeyValuePair.Create(id, new Point(5, 6))], pins.Key));
    }

    [Fact]
    public async Task MessagePack_values_and_bloom_elements_use_generated_codecs()
    {
        using var pins = new Pins(_db, TestKeys.Unique("pins"));
        var id = Guid.NewGuid();
        await pins.SetAsync(id, new Point(1, 2));
        Assert.Equal(new Point(1, 2), await pins.GetAsync(id));

        using var seen = new SeenPoints(_db);
        await seen.AddAsync(new Point(1, 2));
        Assert.True(await seen.ContainsAsync(new Point(1, 2)));
        Assert.False(await seen.ContainsAsync(new Point(2, 1)));
    }
}

using System.Text.Json.Serialization;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Codecs;

/// <summary>The System.Text.Json codec over a source-generated context's metadata.</summary>
public sealed class SystemTextJsonCodecTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly SystemTextJsonCodec<Shopper> Codec = new(ShopJson.Default.Shopper);

    private readonly IDatabase _db = redis.Database;

    [Fact]
    public void Round_trips_a_plain_class_with_nested_collections()
    {
        var shopper = new Shopper { Name = "Ann", Tags = ["a", "b"], Visits = new() { ["home"] = 3 } };

        var back = Codec.Decode(Codec.Encode(shopper));

        Assert.Equal(("Ann", 3), (back.Name, back.Visits["home"]));
        Assert.Equal(["a", "b"], back.Tags);
    }

    [Fact]
    public void Writes_the_contexts_json()
    {
        var stored = Codec.Encode(new Shopper { Name = "Ann" }).ToString();

        Assert.Equal("""{"name":"Ann","tags":[],"visits":{}}""", stored);
    }

    [Fact]
    public void Round_trips_a_list_of_strings()
    {
        var codec = new SystemTextJsonCodec<List<string>>(ShopJson.Default.ListString);

        Assert.Equal(["x", "ü"], codec.Decode(codec.Encode(["x", "ü"])));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"name":""")]
    [InlineData("""["an","array"]""")]
    public void Undecodable_bytes_are_format_errors(string stored) =>
        Assert.Throws<FormatException>(() => Codec.Decode(stored));

    [Fact]
    public void Missing_values_are_format_errors() =>
        Assert.Throws<FormatException>(() => Codec.Decode(RedisValue.Null));

    [Fact]
    public void Null_type_info_is_refused() =>
        Assert.Throws<ArgumentNullException>(() => new SystemTextJsonCodec<Shopper>(null!));

    [Fact]
    public async Task A_dictionary_stores_values_as_json_and_reads_them_back()
    {
        using var shoppers = new RedisDict<string, Shopper>(_db, valueCodec: Codec);
        await shoppers.SetAsync("ann", new Shopper { Name = "Ann", Tags = ["vip"] });

        Assert.Equal("""{"name":"Ann","tags":["vip"],"visits":{}}""", (await _db.HashGetAsync(shoppers.Key, "ann")).ToString());
        Assert.Equal("vip", (await shoppers.GetAsync("ann")).Tags.Single());
    }

    [Fact]
    public async Task Undecodable_bytes_in_redis_name_the_key_field_and_type()
    {
        using var shoppers = new RedisDict<string, Shopper>(_db, valueCodec: Codec);
        await shoppers.SetAsync("ann", new Shopper { Name = "Ann" });
        await _db.HashSetAsync(shoppers.Key, "bob", "{not json");

        var error = await Assert.ThrowsAsync<CodecException>(async () => await shoppers.GetAsync("bob"));

        Assert.Equal((shoppers.Key.ToString(), "bob", nameof(Shopper)), (error.Key, error.Field, error.TargetType));
        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public void Registering_type_info_makes_it_the_codec_for_the_type()
    {
        RedisCodecs.Register(ShopJson.Default.RegisteredShopper);

        var codec = Assert.IsType<SystemTextJsonCodec<RegisteredShopper>>(RedisCodecs.For<RegisteredShopper>());
        Assert.Same(ShopJson.Default.RegisteredShopper, codec.TypeInfo);
    }
}

public sealed class Shopper
{
    public string Name { get; set; } = string.Empty;

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, int> Visits { get; set; } = [];
}

public sealed record RegisteredShopper(string Name);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Shopper))]
[JsonSerializable(typeof(RegisteredShopper))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class ShopJson : JsonSerializerContext;

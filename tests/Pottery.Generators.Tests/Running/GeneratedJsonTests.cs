using System.Text.Json.Serialization;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Generators.Tests.Running;

/// <summary>A plain class: no [MessagePackObject], no [Key]s; <see cref="RunningJson"/> lists it.</summary>
public sealed class Member
{
    public string Name { get; set; } = string.Empty;

    public int Level { get; set; }
}

/// <summary>A plain struct, listed as itself: its nullable form is stored through the same metadata.</summary>
public record struct Spot(double X, double Y);

[JsonSerializable(typeof(Member))]
[JsonSerializable(typeof(Spot))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class RunningJson : JsonSerializerContext;

[RedisDict(KeyPrefix = "club")]
public partial class Club
{
    public partial Member Owner { get; set; }

    public partial List<string>? Tags { get; set; }

    public partial Spot? Venue { get; set; }
}

[RedisDict<string, Member>]
public partial class Members;

public partial class Enrolment(IDatabase redis)
{
    private readonly IDatabase _redis = redis;

    [Synchronize("enrol:{member}")]
    private Task<bool> EnrolCore(Member member) => _redis.KeyExistsAsync("redlock:enrol:" + """{"Name":"ann","Level":2}""");
}

/// <summary>Types a JsonSerializerContext lists, stored by generated code with the System.Text.Json codec, against redis-server.</summary>
public sealed class GeneratedJsonTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task A_plain_class_property_round_trips_as_json()
    {
        var club = new Club(_db, TestKeys.Unique("chess"));

        club.Owner = new Member { Name = "ann", Level = 2 };

        Assert.Equal("""{"Name":"ann","Level":2}""", (await _db.HashGetAsync(club.Key, "Owner")).ToString());
        Assert.Equal(("ann", 2), (club.Owner.Name, club.Owner.Level));
    }

    [Fact]
    public async Task A_list_of_strings_round_trips_and_null_removes_it()
    {
        var club = new Club(_db, TestKeys.Unique("go"));

        await club.SetTagsAsync(["quiet", "ünï"]);
        Assert.Equal("""["quiet","\u00FCn\u00EF"]""", (await _db.HashGetAsync(club.Key, "Tags")).ToString());
        Assert.Equal(["quiet", "ünï"], await club.GetTagsAsync());

        club.Tags = null;
        Assert.False(await _db.HashExistsAsync(club.Key, "Tags"));
    }

    [Fact]
    public async Task A_nullable_struct_whose_struct_is_listed_round_trips_and_null_removes_it()
    {
        var club = new Club(_db, TestKeys.Unique("darts"));

        club.Venue = new Spot(1.5, -2);
        Assert.Equal("""{"X":1.5,"Y":-2}""", (await _db.HashGetAsync(club.Key, "Venue")).ToString());
        Assert.Equal(new Spot(1.5, -2), club.Venue);

        club.Venue = null;
        Assert.False(await _db.HashExistsAsync(club.Key, "Venue"));
        Assert.Null(club.Venue);
    }

    [Fact]
    public async Task Undecodable_json_names_the_key_and_field()
    {
        var club = new Club(_db, TestKeys.Unique("bridge"));
        await _db.HashSetAsync(club.Key, "Owner", "{not json");

        var error = Assert.Throws<CodecException>(() => club.Owner);

        Assert.Equal((club.Key.ToString(), "Owner", nameof(Member)), (error.Key, error.Field, error.TargetType));
    }

    [Fact]
    public async Task A_typed_dict_of_plain_values_round_trips_as_json()
    {
        using var members = new Members(_db);

        await members.SetAsync("ann", new Member { Name = "ann", Level = 3 });

        Assert.Equal("""{"Name":"ann","Level":3}""", (await _db.HashGetAsync(members.Key, "ann")).ToString());
        Assert.Equal(3, (await members.GetAsync("ann")).Level);
    }

    [Fact]
    public async Task A_plain_class_placeholder_is_formatted_as_json_in_the_lock_key()
    {
        var held = await new Enrolment(_db).Enrol(new Member { Name = "ann", Level = 2 });

        Assert.True(held);
    }
}

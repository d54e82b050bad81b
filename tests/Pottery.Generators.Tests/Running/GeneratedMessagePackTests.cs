using MessagePack;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Generators.Tests.Running;

[MessagePackObject]
public sealed class Address
{
    [Key(0)]
    public string Street { get; set; } = string.Empty;

    [Key(2)]
    public int? Floor { get; set; }

    [Key(3)]
    public Tier Zone { get; init; }

    [Key(4)]
    public List<Point> Corners { get; set; } = [];

    [Key(5)]
    public Dictionary<string, double>? Tags { get; set; }

    [Key(6)]
    public Guid Id { get; set; }

    [Key(7)]
    public DateTimeOffset Built { get; set; }

    [Key(8)]
    public decimal Rent { get; set; }

    [Key(9)]
    public byte[]? Photo { get; set; }

    [Key(10)]
    public TimeSpan Walk { get; set; }

    [Key(11)]
    public string?[] Names { get; set; } = [];
}

[MessagePackObject]
public sealed record Point([property: Key(0)] double X, [property: Key(1)] double Y);

[RedisDict(KeyPrefix = "customer")]
public partial class Customer
{
    public partial Address Home { get; set; }

    public partial Point? Pin { get; set; }
}

/// <summary>A second class storing <see cref="Address"/>: it shares the one formatter generated for the type.</summary>
[RedisDict(KeyPrefix = "branch")]
public partial class Branch
{
    public partial Address Office { get; set; }
}

/// <summary>A lock keyed by an <see cref="Address"/>, encoded with the same shared formatter.</summary>
public partial class Dispatch(IDatabase redis)
{
    private readonly IDatabase _redis = redis;

    [Synchronize("dispatch:{address}")]
    private string SendCore(Address address) => _redis.Ping() >= TimeSpan.Zero ? address.Street : string.Empty;
}

/// <summary>Generated MessagePack formatters (no MessagePackSerializer) round-tripping through Redis.</summary>
public sealed class GeneratedMessagePackTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Nested_objects_collections_nullables_and_enums_round_trip()
    {
        var customer = new Customer(_db, TestKeys.Unique("ann"));
        var home = new Address
        {
            Street = "1 Main St",
            Floor = null,
            Zone = Tier.Paid,
            Corners = [new Point(0, 0), new Point(1.5, -2)],
            Tags = new() { ["quiet"] = 0.9 },
            Id = Guid.NewGuid(),
            Built = new DateTimeOffset(1999, 12, 31, 23, 59, 0, TimeSpan.FromHours(5.5)),
            Rent = 1234.56m,
            Photo = [1, 2, 3],
            Walk = TimeSpan.FromMinutes(7),
            Names = ["a", null],
        };

        customer.Home = home;
        await customer.SetPinAsync(new Point(3, 4));
        var loaded = (await customer.LoadAsync()).Home;

        Assert.Equal((home.Street, home.Floor, home.Zone, home.Id, home.Built, home.Rent, home.Walk), (loaded.Street, loaded.Floor, loaded.Zone, loaded.Id, loaded.Built, loaded.Rent, loaded.Walk));
        Assert.Equal(home.Built.Offset, loaded.Built.Offset);
        Assert.Equal(home.Corners, loaded.Corners);
        Assert.Equal(home.Tags, loaded.Tags);
        Assert.Equal(home.Photo, loaded.Photo);
        Assert.Equal(home.Names, loaded.Names);
        Assert.Equal(new Point(3, 4), customer.Pin);

        // The stored bytes are plain MessagePack: an array with nil where key 1 is unused.
        var raw = (byte[])(await _db.HashGetAsync(customer.Key, "Home"))!;
        Assert.Equal(0x9c, raw[0]);
        Assert.Equal(0xc0, raw[1 + 1 + "1 Main St".Length]);
    }

    [Fact]
    public async Task Two_classes_and_a_lock_share_one_formatter_and_read_each_other_s_bytes()
    {
        var customer = new Customer(_db, TestKeys.Unique("cy"));
        var branch = new Branch(_db, TestKeys.Unique("north"));
        var home = new Address { Street = "2 Side St", Floor = 3, Corners = [new Point(1, 2)], Names = ["x"] };

        await customer.SetHomeAsync(home);
        await _db.HashSetAsync(branch.Key, "Office", await _db.HashGetAsync(customer.Key, "Home"));
        var office = await branch.GetOfficeAsync();
        await branch.SetOfficeAsync(office);

        Assert.Equal((home.Street, home.Floor), (office.Street, office.Floor));
        Assert.Equal(home.Corners, office.Corners);
        Assert.Equal((byte[])(await _db.HashGetAsync(customer.Key, "Home"))!, (byte[])(await _db.HashGetAsync(branch.Key, "Office"))!);
        Assert.Equal("2 Side St", new Dispatch(_db).Send(office));

        // One formatter class for the type in the whole assembly, and none nested in the classes that use it.
        var formatters = typeof(Customer).Assembly.GetTypes().Where(t => typeof(MessagePackCodec<Address>).IsAssignableFrom(t)).ToList();
        Assert.Equal("Pottery.Generated.Codecs.Pottery_Generators_Tests", Assert.Single(formatters).Namespace);
    }

    [Fact]
    public async Task Undecodable_bytes_name_the_key_and_field()
    {
        var customer = new Customer(_db, TestKeys.Unique("bob"));
        await _db.HashSetAsync(customer.Key, "Home", "not messagepack");

        var error = Assert.Throws<CodecException>(() => customer.Home);
        Assert.Equal(("Home", customer.Key.ToString()), (error.Field, error.Key));
    }
}

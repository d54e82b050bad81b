using MessagePack;
using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Quickstart;

/// <summary>A MessagePack type: the generator writes its formatter.</summary>
[MessagePackObject]
public sealed record Address([property: Key(0)] string Street, [property: Key(1)] string City);

/// <summary>One Redis hash per user, written by the generator.</summary>
[RedisDict(KeyPrefix = "quickstart:user")]
public partial class UserProfile
{
    /// <summary>The user's name.</summary>
    public partial string Name { get; set; }

    /// <summary>How often the user came by.</summary>
    public partial int Visits { get; set; }

    /// <summary>The user's e-mail address, stored in field <c>mail</c>.</summary>
    [RedisField("mail")]
    public partial string? Email { get; set; }

    /// <summary>Where the user lives.</summary>
    public partial Address? Home { get; set; }
}

/// <summary>A Bloom filter sized at compile time.</summary>
[RedisBloom<string>(Capacity = 1_000_000, FalsePositiveRate = 0.001)]
public partial class SeenUrls;

/// <summary>Work that must not run twice at once for the same user, anywhere.</summary>
public partial class Billing(IDatabase redis)
{
    private readonly IDatabase _redis = redis;

    [Synchronize("quickstart:billing:{user}")]
    private async Task<string> ChargeCore(string user, CancellationToken cancellationToken)
    {
        var held = await _redis.KeyExistsAsync($"redlock:quickstart:billing:{user}");
        await Task.Delay(1, cancellationToken);
        return $"charged {user} while holding redlock:quickstart:billing:{user}: {held}";
    }
}

/// <summary>The generator's stops of the tour.</summary>
internal static class GeneratedTour
{
    public static async Task RunAsync(IDatabase redis)
    {
        var jack = new UserProfile(redis, Guid.NewGuid().ToString("N")) { Name = "Jack", Email = "jack@example.com" };
        await jack.IncrementVisitsAsync();
        await jack.SetHomeAsync(new Address("1 Main St", "Springfield"));
        var snapshot = await jack.LoadAsync();
        Console.WriteLine();
        Console.WriteLine($"16. [RedisDict] UserProfile at {jack.Key}: {snapshot} (one HMGET).");
        await jack.DeleteAsync();

        await using var seen = new SeenUrls(redis);
        await seen.AddAsync("https://example.com/");
        Console.WriteLine($"17. [RedisBloom] SeenUrls: {SeenUrls.Bits} bits and {SeenUrls.Hashes} hashes, fixed at compile time; seen example.com: {await seen.ContainsAsync("https://example.com/")}.");

        Console.WriteLine($"18. [Synchronize] {await new Billing(redis).Charge("jack", CancellationToken.None)}.");
    }
}

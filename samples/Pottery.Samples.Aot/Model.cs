using System.Text.Json.Serialization;
using MessagePack;
using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Aot;

/// <summary>A MessagePack type: the generator writes its formatter, so no reflection runs.</summary>
[MessagePackObject]
public sealed record Address([property: Key(0)] string Street, [property: Key(1)] string City, [property: Key(2)] List<string> Notes);

/// <summary>A plain class: stored as System.Text.Json through <see cref="SampleJson"/>, no reflection.</summary>
public sealed class Preferences
{
    /// <summary>How to reach the customer.</summary>
    public string Channel { get; set; } = "email";

    /// <summary>Topics the customer follows.</summary>
    public List<string> Topics { get; set; } = [];
}

/// <summary>The source-generated System.Text.Json metadata the generator picks up for <see cref="Preferences"/>.</summary>
[JsonSerializable(typeof(Preferences))]
internal sealed partial class SampleJson : JsonSerializerContext;

/// <summary>One Redis hash per customer.</summary>
[RedisDict(KeyPrefix = "aot:customer")]
public partial class Customer
{
    /// <summary>The customer's name.</summary>
    public partial string Name { get; set; }

    /// <summary>How many orders were shipped.</summary>
    public partial int Orders { get; set; }

    /// <summary>Where to ship.</summary>
    [RedisField("address")]
    public partial Address? Home { get; set; }

    /// <summary>What the customer wants to hear about, stored as JSON.</summary>
    public partial Preferences? Settings { get; set; }
}

/// <summary>A compile-time sized Bloom filter.</summary>
[RedisBloom<string>(Capacity = 10_000, FalsePositiveRate = 0.001)]
public partial class SeenOrders;

/// <summary>Shipping under a distributed lock per order.</summary>
public partial class Shipping(IDatabase redis)
{
    private readonly IDatabase _redis = redis;

    /// <summary>The body of <c>ShipAsync</c>; callers call the generated wrapper.</summary>
    [Synchronize("aot:orders:{orderId}", AutoReleaseSeconds = 5)]
    private async Task<string> ShipAsyncCore(int orderId, Customer customer, CancellationToken cancellationToken)
    {
        var held = await _redis.KeyExistsAsync($"redlock:aot:orders:{orderId}");
        var count = await customer.IncrementOrdersAsync(cancellationToken: cancellationToken);
        return $"order {orderId} shipped (lock held: {held}), {count} so far";
    }

    /// <summary>The body of <c>PrintLabel</c>; at most two labels print at once, across processes.</summary>
    [Synchronize("aot:printers", Permits = 2)]
    private async Task<string> PrintLabelCore(int orderId)
    {
        var permits = await _redis.SortedSetLengthAsync("semaphore:{aot:printers}");
        return $"label {orderId} printed ({permits} of 2 permits held)";
    }
}

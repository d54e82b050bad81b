using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

public sealed class BloomTelemetryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Adds_count_the_elements_sent()
    {
        using var telemetry = new TelemetryCollector();
        using var filter = new BloomFilter<string>(redis.Database, capacity: 100, falsePositiveRate: 0.01, key: TestKeys.Unique("bloom"));

        await filter.AddAsync("one");
        await filter.AddRangeAsync(["two", "three", "four"]);
        await filter.AddRangeAsync([]);

        var adds = telemetry.Tagged("pottery.bloom.adds", "pottery.bloom.name", filter.Key.ToString());
        Assert.Equal(4d, adds.Sum(m => m.Value));
        Assert.All(adds, m => Assert.Equal("{element}", m.Unit));
        Assert.True(await filter.ContainsAsync("three"));
    }
}

using Pottery.Runtime.Tests.Locking;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Caching;

/// <summary>
/// Two processes ask their HybridCache for one missing key at once (tests/Pottery.LockWorker, mode
/// hybrid): with Pottery's <see cref="RedisDistributedCache"/> as the second level the value is
/// computed once, with Microsoft's stock Redis cache twice.
/// </summary>
public sealed class HybridCacheProcessTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_pottery_as_the_second_level_two_processes_compute_a_value_once_and_share_it()
    {
        var (computations, values) = await RaceAsync("pottery", waitForSecondMs: 2000);

        Assert.Equal(1, computations);
        Assert.Single(values.Distinct());
    }

    [Fact]
    public async Task With_the_stock_redis_cache_as_the_second_level_two_processes_compute_it_twice()
    {
        var (computations, values) = await RaceAsync("stock", waitForSecondMs: 30_000);

        Assert.Equal(2, computations);
        Assert.Equal(2, values.Distinct().Count());
    }

    // Both workers are ready before either looks the key up; a computation waits (up to the given time) for a second one to start.
    private async Task<(long Computations, string[] Values)> RaceAsync(string secondLevel, int waitForSecondMs)
    {
        var key = TestKeys.Unique("hybrid").ToString();
        var (go, count) = (key + ":go", key + ":computations");
        string[] arguments = ["hybrid", secondLevel, key, go, count, waitForSecondMs.ToString(System.Globalization.CultureInfo.InvariantCulture), redis.Endpoint];
        using var first = LockWorkerProcess.Start(arguments);
        using var second = LockWorkerProcess.Start(arguments);
        Assert.Equal("READY", await first.NextLineAsync(Deadline));
        Assert.Equal("READY", await second.NextLineAsync(Deadline));

        await redis.Database.StringSetAsync(go, 1);
        var lines = await Task.WhenAll(first.NextLineAsync(Deadline), second.NextLineAsync(Deadline));

        Assert.All(lines, line => Assert.StartsWith("GOT computed by ", line, StringComparison.Ordinal));
        return ((long)await redis.Database.StringGetAsync(count), lines);
    }
}

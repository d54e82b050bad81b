using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

public sealed class RateLimiterTelemetryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Both_limiters_count_the_permits_they_grant_and_refuse_by_kind()
    {
        using var telemetry = new TelemetryCollector();
        using var bucket = new RedisTokenBucketRateLimiter(redis.Database, TestKeys.Unique("bucket"), new() { TokenLimit = 3, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1) });
        using var window = new RedisSlidingWindowRateLimiter(redis.Database, TestKeys.Unique("window"), new() { PermitLimit = 2, Window = TimeSpan.FromHours(1) });

        Assert.True((await bucket.AcquireAsync(2)).IsAcquired);
        Assert.False((await bucket.AcquireAsync(2)).IsAcquired);
        Assert.True(bucket.AttemptAcquire(1).IsAcquired);
        Assert.True((await window.AcquireAsync(1)).IsAcquired);
        Assert.True(window.AttemptAcquire(1).IsAcquired);
        Assert.False(window.AttemptAcquire(1).IsAcquired);

        var permits = telemetry.InScope("pottery.rate_limiter.permits");
        Assert.All(permits, m => Assert.Equal("{permit}", m.Unit));
        Assert.Equal(
            [("token_bucket", "granted", 2d), ("token_bucket", "refused", 2d), ("token_bucket", "granted", 1d), ("sliding_window", "granted", 1d), ("sliding_window", "granted", 1d), ("sliding_window", "refused", 1d)],
            permits.Select(m => (m.Tag("pottery.rate_limiter.kind"), m.Tag("pottery.rate_limiter.outcome"), m.Value)));
    }
}

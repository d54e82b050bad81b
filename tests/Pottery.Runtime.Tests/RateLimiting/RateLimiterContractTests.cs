using System.Threading.RateLimiting;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.RateLimiting;

/// <summary>
/// The limiters used only through <see cref="RateLimiter"/> and <see cref="PartitionedRateLimiter"/>,
/// as ASP.NET Core's middleware and Polly use them.
/// </summary>
public sealed class RateLimiterContractTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public static TheoryData<string> Kinds => new() { "bucket", "window" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Code_written_against_RateLimiter_admits_the_limit_and_reads_the_retry_after(string kind)
    {
        await using var limiter = Create(kind, TestKeys.Unique().ToString(), limit: 3);

        var (admitted, retryAfter) = await AdmitAsync(limiter, requests: 5);

        Assert.Equal(3, admitted);
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromTicks(1), Hour);
        Assert.Equal(2, limiter.GetStatistics()!.TotalFailedLeases);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_partitioned_limiter_gives_each_partition_its_own_limit_shared_by_every_instance(string kind)
    {
        var prefix = TestKeys.Unique().ToString();

        // Two instances of a service, each with its own partitioned limiter over the same keys.
        using var first = Partitioned(kind, prefix);
        using var second = Partitioned(kind, prefix);

        Assert.True((await first.AcquireAsync("alice", 2)).IsAcquired);
        Assert.True((await second.AcquireAsync("alice")).IsAcquired);
        using var refused = await second.AcquireAsync("alice");
        Assert.True((await first.AcquireAsync("bob", 3)).IsAcquired);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
        Assert.False(first.AttemptAcquire("bob").IsAcquired);
        Assert.True(first.AttemptAcquire("carol").IsAcquired);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_limiter_that_refuses_synchronous_attempts_asks_redis_only_when_awaited(string kind)
    {
        var key = TestKeys.Unique().ToString();
        await using var limiter = Create(kind, key, limit: 2, refuseSynchronousAttempts: true);

        // What ASP.NET Core's middleware does per request: a synchronous try, then an awaited one.
        var attempted = limiter.AttemptAcquire();
        Assert.False(attempted.IsAcquired);
        Assert.Empty(attempted.MetadataNames);
        Assert.False(await redis.Database.KeyExistsAsync(key), "the synchronous try asked Redis");
        Assert.Equal(0, limiter.GetStatistics()!.TotalFailedLeases);

        var (admitted, retryAfter) = await AdmitAsync(limiter, requests: 3);

        Assert.Equal(2, admitted);
        Assert.NotNull(retryAfter);
        Assert.Equal(1, limiter.GetStatistics()!.TotalFailedLeases);
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(3));
    }

    private static async Task<(int Admitted, TimeSpan? RetryAfter)> AdmitAsync(RateLimiter limiter, int requests)
    {
        var admitted = 0;
        TimeSpan? retryAfter = null;
        for (var i = 0; i < requests; i++)
        {
            using var lease = await limiter.AcquireAsync();
            if (lease.IsAcquired)
            {
                admitted++;
            }
            else if (lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
            {
                retryAfter = after;
            }
        }

        return (admitted, retryAfter);
    }

    private PartitionedRateLimiter<string> Partitioned(string kind, string prefix) =>
        PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.Get(user, u => Create(kind, $"{prefix}:{u}", limit: 3)));

    private RateLimiter Create(string kind, string key, int limit, bool refuseSynchronousAttempts = false) => kind == "bucket"
        ? new RedisTokenBucketRateLimiter(redis.Database, key, new() { TokenLimit = limit, TokensPerPeriod = 1, ReplenishmentPeriod = Hour, RefuseSynchronousAttempts = refuseSynchronousAttempts })
        : new RedisSlidingWindowRateLimiter(redis.Database, key, new() { PermitLimit = limit, Window = Hour, RefuseSynchronousAttempts = refuseSynchronousAttempts });
}

using System.Threading.RateLimiting;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.RateLimiting;

public abstract class RedisSlidingWindowRateLimiterTests(IRedisFixture redis)
{
    // No grant leaves an hour-long window during a test: what a test sees is the limit alone.
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Many_tasks_of_one_process_never_get_more_than_the_limit()
    {
        using var limiter = Window(TestKeys.Unique(), limit: 100, Hour);

        var granted = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var mine = 0;
            for (var i = 0; i < 10; i++)
            {
                using var one = await limiter.AcquireAsync();
                using var two = await limiter.AcquireAsync(2);
                mine += (one.IsAcquired ? 1 : 0) + (two.IsAcquired ? 2 : 0);
            }

            return mine;
        })));

        // Grants of 1 and 2 fill the window to 99 or 100: one permit may be left that no 2 fits in.
        Assert.InRange(granted.Sum(), 99, 100);
        Assert.Equal(granted.Sum() == 100, !limiter.AttemptAcquire(0).IsAcquired);
        Assert.Equal(100 - granted.Sum(), limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.Equal(321, limiter.GetStatistics()!.TotalSuccessfulLeases + limiter.GetStatistics()!.TotalFailedLeases);
    }

    [Fact]
    public async Task Limiters_on_one_key_share_the_window()
    {
        var key = TestKeys.Unique();
        using var first = Window(key, limit: 5, Hour);
        using var second = Window(key, limit: 5, Hour);

        Assert.True((await first.AcquireAsync(3)).IsAcquired);
        Assert.False(second.AttemptAcquire(3).IsAcquired);
        Assert.True(second.AttemptAcquire(2).IsAcquired);
        Assert.False(first.AttemptAcquire().IsAcquired);
        Assert.Equal(0, first.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void The_window_keeps_one_member_per_permit_and_expires_with_the_window()
    {
        var key = TestKeys.Unique();
        using var limiter = Window(key, limit: 10, TimeSpan.FromSeconds(30));

        Assert.True(limiter.AttemptAcquire(3).IsAcquired);
        Assert.True(limiter.AttemptAcquire(1).IsAcquired);
        Assert.True(limiter.AttemptAcquire(0).IsAcquired);

        Assert.Equal(4, redis.Database.SortedSetLength(key));
        Assert.InRange(redis.Database.KeyTimeToLive(key)!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(6, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void A_refused_lease_says_when_enough_grants_leave_the_window()
    {
        using var limiter = Window(TestKeys.Unique(), limit: 3, Hour);
        Assert.True(limiter.AttemptAcquire(3).IsAcquired);

        using var refused = limiter.AttemptAcquire(2);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, Hour - TimeSpan.FromMinutes(1), Hour);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter.Name, out var untyped));
        Assert.Equal(retryAfter, untyped);
    }

    [Fact]
    public void Asking_for_no_permits_says_whether_any_is_left_and_takes_none()
    {
        using var limiter = Window(TestKeys.Unique(), limit: 2, Hour);

        Assert.True(limiter.AttemptAcquire(0).IsAcquired);
        Assert.True(limiter.AttemptAcquire(2).IsAcquired);
        Assert.False(limiter.AttemptAcquire(0).IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_waits_for_grants_to_leave_the_window_and_gets_their_places()
    {
        using var limiter = Window(TestKeys.Unique(), limit: 2, TimeSpan.FromMilliseconds(300), queueLimit: 2);
        Assert.True(limiter.AttemptAcquire(2).IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);

        using var lease = await limiter.AcquireAsync(2).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(lease.IsAcquired);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_leaves_the_queue()
    {
        using var limiter = Window(TestKeys.Unique(), limit: 1, Hour, queueLimit: 1);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await Queued.UntilAsync(limiter, 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task A_key_of_another_type_is_a_WrongTypeException()
    {
        var key = TestKeys.Unique();
        await redis.Database.HashSetAsync(key, "field", "not a window");
        using var limiter = Window(key, limit: 1, Hour);

        var wrong = await Assert.ThrowsAsync<WrongTypeException>(() => limiter.AcquireAsync().AsTask());
        Assert.Equal("hash", wrong.ActualType);
        Assert.Equal("zset", wrong.ExpectedType);
        Assert.Equal("hash", Assert.Throws<WrongTypeException>(() => limiter.AttemptAcquire()).ActualType);
    }

    [Fact]
    public async Task Bad_arguments_are_refused()
    {
        var key = TestKeys.Unique();
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(key, limit: 0, Hour));
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(key, limit: -3, Hour));
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(key, limit: 1, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(key, limit: 1, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(key, limit: 1, TimeSpan.FromDays(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(key, limit: 1, Hour, queueLimit: -1));
        Assert.Throws<ArgumentException>(() => Window(default, limit: 1, Hour));
        Assert.Throws<ArgumentNullException>(() => new RedisSlidingWindowRateLimiter(redis.Database, key, null!));

        using var limiter = Window(key, limit: 3, Hour, queueLimit: 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(4));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => limiter.AcquireAsync(4).AsTask());
        Assert.False(await redis.Database.KeyExistsAsync(key));
    }

    private RedisSlidingWindowRateLimiter Window(RedisKey key, int limit, TimeSpan window, int queueLimit = 0) =>
        new(redis.Database, key, new() { PermitLimit = limit, Window = window, QueueLimit = queueLimit });
}

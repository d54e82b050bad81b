using System.Globalization;
using System.Threading.RateLimiting;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.RateLimiting;

public abstract class RedisTokenBucketRateLimiterTests(IRedisFixture redis)
{
    // Refills an hour apart cannot happen during a test: what a test sees is the capacity alone.
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Many_tasks_and_threads_of_one_process_get_exactly_the_capacity()
    {
        using var limiter = Bucket(TestKeys.Unique(), capacity: 100, perPeriod: 1, Hour);

        var tasks = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            var mine = 0;
            for (var i = 0; i < 20; i++)
            {
                using var lease = await limiter.AcquireAsync();
                mine += lease.IsAcquired ? 1 : 0;
            }

            return mine;
        })).ToArray();

        // AttemptAcquire blocks its thread for the round trip: callers of it are threads of their own, not pool threads.
        var byThreads = new int[4];
        var threads = Enumerable.Range(0, byThreads.Length).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                using var lease = limiter.AttemptAcquire();
                byThreads[t] += lease.IsAcquired ? 1 : 0;
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        var byTasks = await Task.WhenAll(tasks);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(100, byTasks.Sum() + byThreads.Sum());
        Assert.False(limiter.AttemptAcquire(0).IsAcquired);
        var statistics = limiter.GetStatistics()!;
        Assert.Equal(100, statistics.TotalSuccessfulLeases);
        Assert.Equal(221, statistics.TotalFailedLeases);
        Assert.Equal(0, statistics.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Limiters_on_one_key_share_the_bucket()
    {
        var key = TestKeys.Unique();
        using var first = Bucket(key, capacity: 5, perPeriod: 1, Hour);
        using var second = Bucket(key, capacity: 5, perPeriod: 1, Hour);

        Assert.True((await first.AcquireAsync(3)).IsAcquired);
        Assert.False(second.AttemptAcquire(3).IsAcquired);
        Assert.True(second.AttemptAcquire(2).IsAcquired);
        Assert.False(first.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void A_refused_lease_says_when_the_tokens_will_be_there()
    {
        using var limiter = Bucket(TestKeys.Unique(), capacity: 2, perPeriod: 1, Hour);
        Assert.True(limiter.AttemptAcquire(2).IsAcquired);

        using var one = limiter.AttemptAcquire();
        using var two = limiter.AttemptAcquire(2);

        Assert.False(one.IsAcquired);
        Assert.True(one.TryGetMetadata(MetadataName.RetryAfter, out var oneAfter));
        Assert.InRange(oneAfter, TimeSpan.FromTicks(1), Hour);
        Assert.True(two.TryGetMetadata(MetadataName.RetryAfter, out var twoAfter));
        Assert.InRange(twoAfter - oneAfter, Hour - TimeSpan.FromMinutes(1), Hour);
        Assert.Equal([MetadataName.RetryAfter.Name], one.MetadataNames);
    }

    [Fact]
    public async Task A_granted_lease_carries_no_metadata()
    {
        using var limiter = Bucket(TestKeys.Unique(), capacity: 2, perPeriod: 1, Hour);

        using var lease = await limiter.AcquireAsync();

        Assert.True(lease.IsAcquired);
        Assert.Empty(lease.MetadataNames);
        Assert.False(lease.TryGetMetadata(MetadataName.RetryAfter, out _));
    }

    [Fact]
    public void Asking_for_no_permits_says_whether_any_is_left_and_takes_none()
    {
        using var limiter = Bucket(TestKeys.Unique(), capacity: 2, perPeriod: 1, Hour);

        Assert.True(limiter.AttemptAcquire(0).IsAcquired);
        Assert.True(limiter.AttemptAcquire(2).IsAcquired);
        Assert.False(limiter.AttemptAcquire(0).IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_waits_for_the_next_tokens_and_gets_them()
    {
        using var limiter = Bucket(TestKeys.Unique(), capacity: 1, perPeriod: 1, TimeSpan.FromMilliseconds(300), queueLimit: 1);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);

        var waiting = limiter.AcquireAsync().AsTask();
        using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(lease.IsAcquired);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task AcquireAsync_refuses_at_once_when_the_queue_is_full()
    {
        using var limiter = Bucket(TestKeys.Unique(), capacity: 2, perPeriod: 1, Hour, queueLimit: 1);
        Assert.True(limiter.AttemptAcquire(2).IsAcquired);
        using var cancel = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await Queued.UntilAsync(limiter, 1);

        using var refused = await limiter.AcquireAsync(1);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out _));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_leaves_the_queue()
    {
        using var limiter = Bucket(TestKeys.Unique(), capacity: 1, perPeriod: 1, Hour, queueLimit: 5);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await Queued.UntilAsync(limiter, 1);
        Assert.Null(limiter.IdleDuration);
        await cancel.CancelAsync();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(cancel.Token, thrown.CancellationToken);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
        Assert.NotNull(limiter.IdleDuration);
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        var key = TestKeys.Unique();
        using var limiter = Bucket(key, capacity: 1, perPeriod: 1, Hour);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(1, new CancellationToken(canceled: true)).AsTask());

        Assert.False(await redis.Database.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Disposing_the_limiter_refuses_its_waiters_and_later_calls()
    {
        var limiter = Bucket(TestKeys.Unique(), capacity: 1, perPeriod: 1, Hour, queueLimit: 1);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        var waiting = limiter.AcquireAsync().AsTask();
        await Queued.UntilAsync(limiter, 1);

        await limiter.DisposeAsync();

        Assert.False((await waiting.WaitAsync(TimeSpan.FromSeconds(30))).IsAcquired);
        Assert.Throws<ObjectDisposedException>(() => limiter.AttemptAcquire());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => limiter.AcquireAsync().AsTask());
        limiter.Dispose();
    }

    [Fact]
    public void The_bucket_is_a_hash_that_expires_once_it_would_be_full()
    {
        var key = TestKeys.Unique();
        using var limiter = Bucket(key, capacity: 3, perPeriod: 1, TimeSpan.FromSeconds(10));

        Assert.True(limiter.AttemptAcquire(2).IsAcquired);

        Assert.Equal(RedisType.Hash, redis.Database.KeyType(key));
        Assert.Equal(1, (long)redis.Database.HashGet(key, "tokens"));

        // The period grid's origin, in whole microseconds of the server's clock.
        var time = (string[])redis.Database.Execute("TIME")!;
        var now = long.Parse(time[0], CultureInfo.InvariantCulture) * 1_000_000 + long.Parse(time[1], CultureInfo.InvariantCulture);
        Assert.True(long.TryParse((string?)redis.Database.HashGet(key, "time"), NumberStyles.None, CultureInfo.InvariantCulture, out var origin));
        Assert.InRange(now - origin, 0, 60_000_000);

        // Two tokens are missing: two periods, less what has passed of the current one.
        Assert.InRange(redis.Database.KeyTimeToLive(key)!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_key_of_another_type_is_a_WrongTypeException()
    {
        var key = TestKeys.Unique();
        await redis.Database.StringSetAsync(key, "not a bucket");
        using var limiter = Bucket(key, capacity: 1, perPeriod: 1, Hour);

        var wrong = await Assert.ThrowsAsync<WrongTypeException>(() => limiter.AcquireAsync().AsTask());
        Assert.Equal("string", wrong.ActualType);
        Assert.Equal("hash", wrong.ExpectedType);
        Assert.Equal("string", Assert.Throws<WrongTypeException>(() => limiter.AttemptAcquire()).ActualType);
    }

    [Fact]
    public async Task Bad_arguments_are_refused()
    {
        var key = TestKeys.Unique();
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 0, perPeriod: 1, Hour));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 1, perPeriod: 0, Hour));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 1, perPeriod: -1, Hour));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 1, perPeriod: 1, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 1, perPeriod: 1, TimeSpan.FromMilliseconds(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 1, perPeriod: 1, TimeSpan.FromTicks(100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 1, perPeriod: 1, TimeSpan.FromDays(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(key, capacity: 1, perPeriod: 1, Hour, queueLimit: -1));
        Assert.Throws<ArgumentException>(() => Bucket(default, capacity: 1, perPeriod: 1, Hour));
        Assert.Throws<ArgumentNullException>(() => new RedisTokenBucketRateLimiter(redis.Database, key, null!));
        Assert.Throws<ArgumentNullException>(() => new RedisTokenBucketRateLimiter(null!, key, new()));

        using var limiter = Bucket(key, capacity: 3, perPeriod: 1, Hour, queueLimit: 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(-1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => limiter.AcquireAsync(4).AsTask());
        Assert.False(await redis.Database.KeyExistsAsync(key));
    }

    private RedisTokenBucketRateLimiter Bucket(RedisKey key, int capacity, int perPeriod, TimeSpan period, int queueLimit = 0) =>
        new(redis.Database, key, new() { TokenLimit = capacity, TokensPerPeriod = perPeriod, ReplenishmentPeriod = period, QueueLimit = queueLimit });
}

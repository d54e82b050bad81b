using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Caching;

public abstract class RedisDistributedCacheTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    private static DistributedCacheEntryOptions Forever => new();

    [Fact]
    public async Task A_value_round_trips_through_bytes_and_buffers_and_is_gone_once_removed()
    {
        var key = TestKeys.Unique("entry").ToString();
        var cache = new RedisDistributedCache(_db, new() { SingleFlightLease = null });
        Assert.Null(await cache.GetAsync(key));

        await cache.SetAsync(key, [1, 2, 3], Forever);
        Assert.Equal([1, 2, 3], await cache.GetAsync(key));
        Assert.Equal([1, 2, 3], cache.Get(key));

        cache.Set(key, new ReadOnlySequence<byte>([4, 5]), Forever);
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(await cache.TryGetAsync(key, buffer));
        Assert.Equal([4, 5], buffer.WrittenSpan.ToArray());
        Assert.Null(await _db.KeyTimeToLiveAsync(key));

        await cache.RemoveAsync(key);
        Assert.False(cache.TryGet(key, new ArrayBufferWriter<byte>()));
        Assert.False(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Expirations_live_in_redis_and_a_read_slides_them_up_to_the_absolute_one()
    {
        var key = TestKeys.Unique("entry").ToString();
        var cache = new RedisDistributedCache(_db, new() { KeyPrefix = "cache:", SingleFlightLease = null });
        var stored = (RedisKey)("cache:" + key);

        await cache.SetAsync(key, [1], new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
        Assert.InRange((await _db.KeyTimeToLiveAsync(stored))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        await cache.SetAsync(key, [2], new() { SlidingExpiration = TimeSpan.FromMinutes(2), AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        Assert.InRange((await _db.KeyTimeToLiveAsync(stored))!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        await _db.KeyExpireAsync(stored, TimeSpan.FromSeconds(30));
        Assert.Equal([2], await cache.GetAsync(key));
        Assert.InRange((await _db.KeyTimeToLiveAsync(stored))!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        await _db.KeyExpireAsync(stored, TimeSpan.FromSeconds(30));
        await cache.RefreshAsync(key);
        Assert.InRange((await _db.KeyTimeToLiveAsync(stored))!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));

        await cache.SetAsync(key, [3], new() { SlidingExpiration = TimeSpan.FromMinutes(20), AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(3) });
        await _db.KeyExpireAsync(stored, TimeSpan.FromSeconds(30));
        Assert.Equal([3], cache.Get(key));
        Assert.InRange((await _db.KeyTimeToLiveAsync(stored))!.Value, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));

        await cache.SetAsync(key, [4], Forever);
        Assert.Null(await _db.KeyTimeToLiveAsync(stored));
    }

    [Fact]
    public async Task Bad_input_gets_typed_errors_and_writes_nothing()
    {
        var key = TestKeys.Unique("entry").ToString();
        var cache = new RedisDistributedCache(_db, new() { SingleFlightLease = null });

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.SetAsync(key, [1], new() { AbsoluteExpiration = DateTimeOffset.UtcNow.AddSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.Zero });
        Assert.False(await _db.KeyExistsAsync(key));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisDistributedCache(_db, new() { SingleFlightLease = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisDistributedCache(_db, new() { SingleFlightLease = TimeSpan.FromMilliseconds(1) }));

        await _db.StringSetAsync(key, "a string");
        var error = await Assert.ThrowsAsync<WrongTypeException>(() => cache.GetAsync(key));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WrongTypeException>(() => cache.RefreshAsync(key));
        Assert.Equal("a string", await _db.StringGetAsync(key));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetAsync(TestKeys.Unique().ToString(), cancelled.Token));
    }

    [Fact]
    public async Task A_miss_reserves_the_key_and_another_client_waits_for_the_value_instead_of_missing()
    {
        var key = TestKeys.Unique("entry").ToString();
        await using var other = await redis.ConnectAsync();
        var mine = new RedisDistributedCache(_db);
        var theirs = new RedisDistributedCache(other.GetDatabase());

        Assert.Null(await mine.GetAsync(key));
        var waiting = theirs.GetAsync(key);
        var firstDone = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(waiting, firstDone);

        await mine.SetAsync(key, [42], Forever);
        Assert.Equal([42], await waiting.WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_reservation_that_is_never_filled_ends_with_its_lease_and_the_waiter_fills_it()
    {
        var key = TestKeys.Unique("entry").ToString();
        await using var other = await redis.ConnectAsync();
        var options = new RedisDistributedCacheOptions { SingleFlightLease = TimeSpan.FromMilliseconds(500) };
        var failing = new RedisDistributedCache(_db, options);
        var next = new RedisDistributedCache(other.GetDatabase(), options);

        Assert.Null(await failing.GetAsync(key));
        Assert.Null(await next.GetAsync(key).WaitAsync(Deadline));
        var waiting = failing.GetAsync(key);
        await next.SetAsync(key, [7], Forever);
        Assert.Equal([7], await waiting.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Without_single_flight_every_client_misses_at_once()
    {
        var key = TestKeys.Unique("entry").ToString();
        await using var other = await redis.ConnectAsync();
        var mine = new RedisDistributedCache(_db, new() { SingleFlightLease = null });
        var theirs = new RedisDistributedCache(other.GetDatabase(), new() { SingleFlightLease = null });

        Assert.Null(await mine.GetAsync(key));
        Assert.Null(await theirs.GetAsync(key).WaitAsync(Deadline));
        Assert.False(await _db.KeyExistsAsync("redlock:" + key + ":filling"));
    }
}

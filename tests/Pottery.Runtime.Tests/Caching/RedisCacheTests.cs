using System.Runtime.CompilerServices;
using Pottery.Runtime.Tests.Locking;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Caching;

public abstract class RedisCacheTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Counts_hits_and_misses_like_the_pottery_readme()
    {
        var calls = 0;
        using var expensive = RedisCache.Memoize(_db, TestKeys.Unique("expensive-function-cache"), (int n) =>
        {
            Interlocked.Increment(ref calls);
            return n;
        });

        Assert.Equal(5, expensive.Invoke(5));
        Assert.Equal(new CacheInfo(0, 1, null, 1), expensive.GetCacheInfo());
        Assert.Equal(5, await expensive.InvokeAsync(5));
        Assert.Equal(new CacheInfo(1, 1, null, 1), await expensive.GetCacheInfoAsync());
        Assert.Equal(6, expensive.Invoke(6));
        Assert.Equal(new CacheInfo(1, 2, null, 2), expensive.GetCacheInfo());
        Assert.Equal(2, calls);

        expensive.ClearCache();
        Assert.Equal(new CacheInfo(0, 0, null, 0), expensive.GetCacheInfo());
        Assert.False(await _db.KeyExistsAsync(expensive.Cache.Key));
    }

    [Fact]
    public async Task A_hit_right_after_a_write_is_one_HGET()
    {
        using var square = RedisCache.Memoize(_db, TestKeys.Unique("square"), (int n) => n * n);
        await square.InvokeAsync(4);

        using var log = CommandLog.Start(redis.Connection);
        Assert.Equal(16, await square.InvokeAsync(4));
        Assert.Equal(["HGET"], log.Commands);
    }

    [Fact]
    public async Task Bypass_recomputes_and_refreshes_without_counting()
    {
        var version = 0;
        using var current = RedisCache.Memoize(_db, TestKeys.Unique("current"), (string name) => $"{name} v{Interlocked.Increment(ref version)}");

        Assert.Equal("doc v1", current.Invoke("doc"));
        Assert.Equal("doc v2", await current.BypassAsync("doc"));
        Assert.Equal("doc v3", current.Bypass("doc"));
        Assert.Equal(new CacheInfo(0, 1, null, 1), current.GetCacheInfo());
        Assert.Equal("doc v3", current.Invoke("doc"));
        Assert.Equal(new CacheInfo(1, 1, null, 1), current.GetCacheInfo());
    }

    [Fact]
    public async Task Arguments_become_readable_stable_fields()
    {
        using var one = RedisCache.Memoize(_db, TestKeys.Unique("one"), (int n) => n);
        using var two = RedisCache.Memoize(_db, TestKeys.Unique("two"), (string a, string b) => a + b);
        using var none = RedisCache.Memoize(_db, TestKeys.Unique("none"), () => 42);

        one.Invoke(5);
        two.Invoke(("ab", "c"));
        Assert.Equal("abc", await two.InvokeAsync(("a", "bc")));
        none.Invoke();

        Assert.Equal(["5"], (await _db.HashKeysAsync(one.Cache.Key)).Select(f => f.ToString()));
        Assert.Equal(["1:a2:bc", "2:ab1:c"], (await _db.HashKeysAsync(two.Cache.Key)).Select(f => f.ToString()).Order());
        Assert.Equal(["()"], (await _db.HashKeysAsync(none.Cache.Key)).Select(f => f.ToString()));
        Assert.Equal(new CacheInfo(0, 2, null, 2), two.GetCacheInfo());
    }

    [Fact]
    public async Task Another_process_hits_what_this_one_cached_and_the_reverse()
    {
        var key = TestKeys.Unique("shared");
        var endpoint = redis.Endpoint;
        using var describe = RedisCache.Memoize(_db, key, (string text, int number) => $"{text}/{number} by {Environment.ProcessId}");
        var mine = await describe.InvokeAsync(("hello", 42));

        using (var child = LockWorkerProcess.Start("memo", key.ToString(), "hello", "42", endpoint))
        {
            Assert.Equal($"HIT {mine}", await child.FirstLine.WaitAsync(Deadline));
        }

        string theirs;
        using (var child = LockWorkerProcess.Start("memo", key.ToString(), "other", "7", endpoint))
        {
            theirs = await child.FirstLine.WaitAsync(Deadline);
        }

        Assert.StartsWith("MISS other/7 by ", theirs, StringComparison.Ordinal);
        Assert.Equal(theirs["MISS ".Length..], await describe.InvokeAsync(("other", 7)));
        Assert.Equal(new CacheInfo(1, 1, null, 2), describe.GetCacheInfo());
    }

    [Fact]
    public async Task Concurrent_misses_on_separate_connections_compute_once()
    {
        const int callers = 8;
        var key = TestKeys.Unique("single-flight");
        var connections = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => redis.ConnectAsync()));
        var entered = 0;
        var invocations = 0;
        try
        {
            var functions = Enumerable.Range(0, callers).Select(i => RedisCache.Memoize<string, string>(
                connections[i % connections.Length].GetDatabase(),
                key,
                async (text, cancellationToken) =>
                {
                    Interlocked.Increment(ref invocations);

                    // Stay inside the computation until every caller has asked for the result.
                    await Eventually.SucceedsAsync(() => Task.FromResult(Volatile.Read(ref entered) == callers ? true : throw new TimeoutException()), Deadline);
                    return text.ToUpperInvariant();
                })).ToArray();

            var results = await Task.WhenAll(functions.Select(async function =>
            {
                Interlocked.Increment(ref entered);
                return await function.InvokeAsync("once");
            }));

            Assert.All(results, result => Assert.Equal("ONCE", result));
            Assert.Equal(1, invocations);
            Assert.Equal(1, functions.Sum(function => function.GetCacheInfo().Misses));
            Assert.Equal(callers - 1, functions.Sum(function => function.GetCacheInfo().Hits));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_timeout_is_renewed_on_every_access_and_then_expires_the_cache()
    {
        using var cached = RedisCache.Memoize(_db, TestKeys.Unique("timed"), (int n) => n, timeout: TimeSpan.FromSeconds(30));
        cached.Invoke(1);
        Assert.InRange(await _db.KeyTimeToLiveAsync(cached.Cache.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));

        // A hit renews it too, once the renewal window (1% of the timeout) has passed since the last renewal.
        Assert.Equal(TimeSpan.FromMilliseconds(300), cached.Cache.RenewalWindow);
        await _db.KeyExpireAsync(cached.Cache.Key, TimeSpan.FromSeconds(5));
        await Eventually.SucceedsAsync(
            async () =>
            {
                await cached.InvokeAsync(1);
                var ttl = await _db.KeyTimeToLiveAsync(cached.Cache.Key) ?? TimeSpan.Zero;
                return ttl > TimeSpan.FromSeconds(20) ? ttl : throw new InvalidOperationException($"not renewed yet: {ttl}");
            },
            Deadline);

        using var brief = RedisCache.Memoize(_db, TestKeys.Unique("brief"), (int n) => n, timeout: TimeSpan.FromMilliseconds(300));
        brief.Invoke(1);
        await Eventually.SucceedsAsync(async () => await _db.KeyExistsAsync(brief.Cache.Key) ? throw new InvalidOperationException("not expired yet") : true, Deadline);
        brief.Invoke(1);
        Assert.Equal(new CacheInfo(0, 2, null, 1), brief.GetCacheInfo());

        using var forever = RedisCache.Memoize(_db, TestKeys.Unique("forever"), (int n) => n, timeout: Timeout.InfiniteTimeSpan);
        forever.Invoke(1);
        Assert.Null(await _db.KeyTimeToLiveAsync(forever.Cache.Key));
    }

    [Fact]
    public async Task Every_key_of_a_thousand_misses_expires_with_the_cache()
    {
        var key = TestKeys.Unique("misses");
        using var cached = RedisCache.Memoize(_db, key, (int n) => n, timeout: TimeSpan.FromSeconds(2));
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(n => cached.InvokeAsync(n).AsTask()));
        Assert.Equal(new CacheInfo(0, 1000, null, 1000), await cached.GetCacheInfoAsync());

        // The single flight's locks are gone with each miss, and take no fencing counter with them.
        await Eventually.SucceedsAsync(
            async () =>
            {
                var left = await KeysAboutAsync(key);
                return left.Length == 0 ? true : throw new InvalidOperationException($"{left.Length} keys left, e.g. {left[0]}");
            },
            Deadline);
    }

    [Fact]
    public async Task A_null_result_is_cached_and_returned_like_any_other()
    {
        var calls = 0;
        using var lookup = RedisCache.Memoize(_db, TestKeys.Unique("nulls"), (string name) =>
        {
            Interlocked.Increment(ref calls);
            return name == "nobody" ? null : name.ToUpperInvariant();
        });

        Assert.Null(await lookup.InvokeAsync("nobody"));
        Assert.Null(lookup.Invoke("nobody"));
        Assert.Equal("ANN", lookup.Invoke("ann"));
        Assert.Equal(2, calls);
        Assert.Equal(new CacheInfo(1, 2, null, 2), lookup.GetCacheInfo());

        int? none = null;
        using var nullable = RedisCache.Memoize(_db, TestKeys.Unique("nullable"), (int n) => n > 0 ? n : none);
        Assert.Null(nullable.Invoke(0));
        Assert.Null(nullable.Invoke(0));
        Assert.Equal(new CacheInfo(1, 1, null, 1), nullable.GetCacheInfo());
    }

    [Fact]
    public async Task Byte_results_that_look_like_the_null_marker_read_back_as_themselves()
    {
        byte[]?[] results = [null, [0xC1], [0xC1, 0xC1], [0xC1, 0x00], [], [0x41]];
        using var raw = RedisCache.Memoize(_db, TestKeys.Unique("bytes"), (int n) => results[n]);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var n = 0; n < results.Length; n++)
            {
                Assert.Equal(results[n], await raw.InvokeAsync(n));
            }
        }

        Assert.Equal(new CacheInfo(results.Length, results.Length, null, results.Length), raw.GetCacheInfo());
    }

    [Fact]
    public async Task A_disposed_memoized_function_refuses_calls_and_its_random_cache_stays_deleted()
    {
        var cache = new RedisCache(_db, timeout: TimeSpan.FromMinutes(1));
        var square = new MemoizedFunction<int, int>(cache, n => n, (n, _) => Task.FromResult(n * n));
        Assert.Equal(9, await square.InvokeAsync(3));
        await square.DisposeAsync();
        await square.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await square.InvokeAsync(3));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await square.BypassAsync(4));
        Assert.Throws<ObjectDisposedException>(() => square.GetCacheInfo());
        Assert.False(await _db.KeyExistsAsync(cache.Key));
    }

    private async Task<RedisKey[]> KeysAboutAsync(RedisKey key) =>
        await redis.Connection.GetServers()[0].KeysAsync(pattern: $"*{key}*").ToArrayAsync();

    [Fact]
    public void A_timeout_must_be_positive_or_infinite()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisCache(_db, TestKeys.Unique("bad"), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisCache(_db, TestKeys.Unique("bad"), TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task Bad_data_at_the_key_is_a_typed_error()
    {
        var listKey = TestKeys.Unique("list");
        await _db.ListRightPushAsync(listKey, "x");
        using var onList = RedisCache.Memoize(_db, listKey, (int n) => n);
        await Assert.ThrowsAsync<WrongTypeException>(async () => await onList.InvokeAsync(1));

        var hashKey = TestKeys.Unique("garbled");
        await _db.HashSetAsync(hashKey, "5", "not a number");
        using var garbled = RedisCache.Memoize(_db, hashKey, (int n) => n);
        var error = Assert.Throws<CodecException>(() => garbled.Invoke(5));
        Assert.Equal(("5", hashKey.ToString()), (error.Field, error.Key));
    }

    [Fact]
    public async Task An_async_function_gets_the_token_and_a_cancelled_call_computes_nothing()
    {
        var calls = 0;
        using var fetch = RedisCache.Memoize<int, string>(_db, TestKeys.Unique("fetch"), async (id, cancellationToken) =>
        {
            Interlocked.Increment(ref calls);
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return $"document {id}";
        });

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fetch.InvokeAsync(1, cancelled.Token));
        Assert.Equal(0, calls);

        Assert.Equal("document 1", await fetch.InvokeAsync(1));
        Assert.Equal("document 1", fetch.Invoke(1));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Hundreds_of_hits_and_misses_in_flight_each_get_their_own_result()
    {
        var (square, computed) = await CountingSquaresAsync("squares", cached: 300);
        using var _ = square;

        // More calls at once than the pool keeps spare sources: hits for 0-299, misses for 300-599.
        var pending = Enumerable.Range(0, 600).Select(n => square.InvokeAsync(n).AsTask()).ToArray();
        var results = await Task.WhenAll(pending).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, 600).Select(n => (long)n * n), results);
        Assert.Equal(600, computed.Value);
        var info = await square.GetCacheInfoAsync();
        Assert.Equal((300, 600, 600L), (info.Hits, info.Misses, info.CurrentSize));
    }

    [Fact]
    public async Task A_miss_computes_in_the_callers_async_context()
    {
        var caller = new AsyncLocal<string>();
        using var describe = RedisCache.Memoize<int, string>(_db, TestKeys.Unique("context"), async (n, _) =>
        {
            await Task.Yield();
            return $"{n} for {caller.Value}";
        });

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async n =>
        {
            caller.Value = $"caller {n}";
            await Task.Yield();
            var pending = describe.InvokeAsync(n);
            Assert.Equal($"caller {n}", caller.Value);
            return await pending;
        })).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, 50).Select(n => $"{n} for caller {n}"), results);

        // Hits too leave the caller's context as it was, and misses computed elsewhere are found.
        caller.Value = "second round";
        var hit = describe.InvokeAsync(7);
        Assert.Equal("second round", caller.Value);
        Assert.Equal("7 for caller 7", await hit);
    }

    [Fact]
    public async Task Hits_and_misses_awaited_after_their_replies_arrived_are_right()
    {
        var (square, computed) = await CountingSquaresAsync("late", cached: 10);
        using var _ = square;

        var pending = Enumerable.Range(0, 20).Select(n => square.InvokeAsync(n)).ToArray();
        await _db.PingAsync();

        for (var n = 19; n >= 0; n--)
        {
            Assert.Equal((long)n * n, await pending[n]);
        }

        Assert.Equal(20, computed.Value);
        var info = await square.GetCacheInfoAsync();
        Assert.Equal((10L, 20L), (info.Hits, info.Misses));
    }

    // A memoized async square that counts its computations, with 0 to cached - 1 already cached.
    private async Task<(MemoizedFunction<int, long> Square, StrongBox<int> Computed)> CountingSquaresAsync(string name, int cached)
    {
        var computed = new StrongBox<int>();
        var square = RedisCache.Memoize<int, long>(_db, TestKeys.Unique(name), async (n, _) =>
        {
            Interlocked.Increment(ref computed.Value);
            await Task.Yield();
            return (long)n * n;
        });
        for (var n = 0; n < cached; n++)
        {
            await square.InvokeAsync(n);
        }

        return (square, computed);
    }
}

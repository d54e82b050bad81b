using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Keys;

/// <summary>
/// Nothing outlives a disposed random-key structure: after each kind is used (waits included, so
/// that it subscribes) and disposed, its database is empty and nothing is subscribed; and a command
/// after dispose throws instead of creating the key again. The class has a server of its own, and
/// each kind a database of its own, so no other test's keys count.
/// </summary>
public sealed class LeakTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly string[] Kinds =
    [
        "dict", "set", "list", "counter", "deque", "simple queue", "queue", "lifo queue", "priority queue",
        "bloom filter", "hyperloglog", "cache", "memoized function", "lock",
    ];

    public static TheoryData<string> KindNames => new(Kinds);

    [Theory]
    [MemberData(nameof(KindNames))]
    public async Task A_disposed_random_key_structure_leaves_no_key_and_no_subscription(string kind)
    {
        var number = Array.IndexOf(Kinds, kind) + 1;
        var db = redis.Connection.GetDatabase(number);
        var server = redis.Connection.GetServers()[0];

        await (kind switch
        {
            "dict" => UseDictAsync(db),
            "set" => UseSetAsync(db),
            "list" => UseListAsync(db),
            "counter" => UseCounterAsync(db),
            "deque" => UseDequeAsync(db),
            "simple queue" => UseQueueAsync(new RedisSimpleQueue<int>(db), new RedisSimpleQueue<int>(db)),
            "queue" => UseAcknowledgedQueueAsync(db),
            "lifo queue" => UseQueueAsync(new RedisLifoQueue<int>(db, capacity: 1), new RedisLifoQueue<int>(db)),
            "priority queue" => UseQueueAsync(new RedisPriorityQueue<int>(db, capacity: 1), new RedisPriorityQueue<int>(db)),
            "bloom filter" => UseBloomAsync(db),
            "hyperloglog" => UseHyperLogLogAsync(db),
            "cache" => UseCacheAsync(db),
            "memoized function" => UseMemoizedFunctionAsync(db),
            _ => UseLockAsync(db),
        });

        await Eventually.SucceedsAsync(
            async () =>
            {
                var keys = await server.KeysAsync(number, pattern: "*").ToArrayAsync();
                var channels = await Channels();
                return keys.Length == 0 && channels.Length == 0
                    ? true
                    : throw new InvalidOperationException($"{kind}: keys left [{string.Join(", ", keys)}], channels left [{string.Join(", ", channels)}]");
            },
            Deadline);
        Assert.Equal(0, await server.DatabaseSizeAsync(number));
    }

    [Fact]
    public async Task A_fenced_lock_leaves_only_its_fencing_counter_which_outlives_it_by_design()
    {
        // Fencing tokens must never go backwards, so the counter of a lock that draws them has no
        // expiry; a lock that does not (the default) leaves nothing, as the theory above shows.
        var db = redis.Connection.GetDatabase(Kinds.Length + 1);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), db) { Fenced = true };
        await using (await redlock.AcquireAsync())
        {
        }

        var server = redis.Connection.GetServers()[0];
        var left = Assert.Single(await server.KeysAsync(db.Database, pattern: "*").ToArrayAsync());
        Assert.Equal(redlock.Keys[1], left);
        Assert.Null(await db.KeyTimeToLiveAsync(left));
        await db.KeyDeleteAsync(left);
    }

    private static async Task UseDictAsync(IDatabase db)
    {
        var dict = new RedisDict<string, int>(db) { ["a"] = 1 };
        Assert.Equal(1, dict["a"]);
        await dict.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => dict["b"] = 2);
        Assert.Throws<ObjectDisposedException>(() => dict.Count);
        Assert.Throws<ObjectDisposedException>(() => dict.ToList());
        dict.Dispose();
    }

    private static async Task UseSetAsync(IDatabase db)
    {
        var set = new RedisSet<int>(db);
        await set.AddAsync(1);
        await set.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await set.AddAsync(2));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await set.AsAsyncEnumerable().ToListAsync());
    }

    private static async Task UseListAsync(IDatabase db)
    {
        var list = new RedisList<int>(db) { 1, 2 };
        Assert.Equal(2, list.Count);
        list.Dispose();
        Assert.Throws<ObjectDisposedException>(() => list.Add(3));
    }

    private static async Task UseCounterAsync(IDatabase db)
    {
        var counter = new RedisCounter<string>(db);
        await counter.IncrementAsync("a", 2);
        var combined = await counter.CombineAsync(CounterOperation.Add, [new("b", 1)]);
        Assert.Equal(3, await combined.TotalAsync());
        await combined.DisposeAsync();
        await counter.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await counter.IncrementAsync("a"));
    }

    private static async Task UseDequeAsync(IDatabase db)
    {
        var deque = new RedisDeque<int>(db, maxLength: 2);
        await deque.AddLastAsync(1);
        await deque.AddFirstAsync(0);
        await deque.AddLastAsync(2);
        await deque.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await deque.AddLastAsync(3));
    }

    // A get that waits on an empty queue, and (with a capacity of 1) a put that waits for space.
    private static async Task UseQueueAsync(RedisQueueBase<int, int> queue, RedisQueueBase<int, int> unbounded)
    {
        var getting = queue.TryDequeueAsync(Wait).AsTask();
        await queue.EnqueueAsync(1);
        Assert.Equal((true, 1), await getting.WaitAsync(Deadline));

        await queue.EnqueueAsync(2);
        var putting = queue.TryEnqueueAsync(3, Wait).AsTask();
        Assert.Equal((true, 2), await queue.TryDequeueAsync(Wait));
        await putting.WaitAsync(Deadline);
        await queue.TryDequeueAsync(Wait);

        await queue.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await queue.EnqueueAsync(4));

        await unbounded.EnqueueAsync(1);
        await unbounded.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await unbounded.EnqueueAsync(2));
    }

    private static async Task UseAcknowledgedQueueAsync(IDatabase db)
    {
        var queue = new RedisQueue<int>(db, capacity: 1, maxDeliveries: 2);
        var getting = queue.TryDequeueAsync(Wait).AsTask();
        await queue.EnqueueAsync(1);
        var (found, first) = await getting.WaitAsync(Deadline);
        Assert.True(found);
        Assert.Equal(1, first!.Value);
        var putting = queue.TryEnqueueAsync(2, Wait).AsTask();
        var joining = queue.JoinAsync().AsTask();
        Assert.True(await queue.AcknowledgeAsync(first));
        var (_, second) = await queue.TryDequeueAsync(Wait);
        Assert.Equal(2, second!.Value);
        Assert.True(await putting.WaitAsync(Deadline));
        Assert.True(await queue.AcknowledgeAsync(second));
        await joining.WaitAsync(Deadline);

        await queue.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await queue.EnqueueAsync(3));
    }

    private static async Task UseBloomAsync(IDatabase db)
    {
        var bloom = new BloomFilter<string>(db, capacity: 100, falsePositiveRate: 0.01);
        await bloom.AddAsync("a");
        Assert.True(await bloom.ContainsAsync("a"));
        await bloom.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await bloom.AddAsync("b"));
    }

    private static async Task UseHyperLogLogAsync(IDatabase db)
    {
        var hll = new HyperLogLog<string>(db);
        await hll.AddRangeAsync(["a", "b"]);
        Assert.True(await hll.ContainsAsync("a"));
        var other = new HyperLogLog<string>(db);
        await other.AddAsync("c");
        var union = await hll.UnionAsync([other]);
        Assert.Equal(3, await union.CountAsync());
        await union.DisposeAsync();
        await other.DisposeAsync();
        await hll.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await hll.AddAsync("d"));
    }

    // Misses for one argument from another connection (another process, as far as the lock knows)
    // wait on the single flight's lock, and subscribe to its release.
    private async Task UseCacheAsync(IDatabase db)
    {
        var cache = new RedisCache(db, timeout: TimeSpan.FromMinutes(1));
        await using var elsewhere = await redis.Server.ConnectAsync();
        var sameCache = new RedisCache(elsewhere.GetDatabase(db.Database), cache.Key, timeout: TimeSpan.FromMinutes(1));
        var computing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrComputeAsync("field", 0, async (_, _) =>
        {
            computing.SetResult();
            await gate.Task;
            return "result";
        }, StringCodec.Instance).AsTask();
        await computing.Task.WaitAsync(Deadline);
        var waiting = sameCache.GetOrComputeAsync("field", 0, (_, _) => Task.FromResult("never computed"), StringCodec.Instance).AsTask();
        await Eventually.SucceedsAsync(async () => (await Channels()).Length > 0 ? true : throw new InvalidOperationException("not waiting yet"), Deadline);
        gate.SetResult();
        Assert.Equal("result", await first.WaitAsync(Deadline));
        Assert.Equal("result", await waiting.WaitAsync(Deadline));
        await sameCache.DisposeAsync();
        await cache.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await cache.GetOrComputeAsync("other", 0, (_, _) => Task.FromResult("x"), StringCodec.Instance));
    }

    private static async Task UseMemoizedFunctionAsync(IDatabase db)
    {
        var square = new MemoizedFunction<int, int>(new RedisCache(db), n => n, async (n, token) =>
        {
            await Task.Delay(50, token);
            return n * n;
        });
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => square.InvokeAsync(i % 3).AsTask())).WaitAsync(Deadline);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 3 * (i % 3)), results);
        await square.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await square.InvokeAsync(1));
    }

    // A user lock has a name, not a random key: released and disposed, it leaves its fencing counter
    // alone (see the fact above), which this removes so that the database must be empty.
    private async Task UseLockAsync(IDatabase db)
    {
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), db);
        var first = await redlock.AcquireAsync();
        var waiting = redlock.AcquireAsync(Wait).AsTask();
        await first.ReleaseAsync();
        var second = await waiting.WaitAsync(Deadline);
        await using (var elsewhere = await redis.Server.ConnectAsync())
        {
            var rival = new Redlock(redlock.Name, elsewhere.GetDatabase(db.Database));
            var rivalWaiting = rival.AcquireAsync(Wait).AsTask();
            second.Dispose();
            (await rivalWaiting.WaitAsync(Deadline)).Dispose();
        }

        first.Dispose();
    }

    // What Pottery subscribed to: StackExchange.Redis keeps a channel of its own on every connection.
    private async Task<RedisChannel[]> Channels() =>
        (await redis.Connection.GetServers()[0].SubscriptionChannelsAsync()).Where(channel => !channel.ToString().StartsWith("__Booksleeve", StringComparison.Ordinal)).ToArray();
}

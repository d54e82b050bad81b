using Microsoft.Extensions.DependencyInjection;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Hosting;

/// <summary>Keyed registrations on the Pottery builder resolve to working primitives, several of one type side by side.</summary>
public sealed class RegistrationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Queues_of_every_kind_resolve_by_key_and_two_of_one_type_are_separate()
    {
        var (a, b, simple, lifo, priority) = (Key("a"), Key("b"), Key("simple"), Key("lifo"), Key("priority"));
        await using var provider = Provider(p => p
            .AddQueue<string>(a, visibilityTimeout: TimeSpan.FromSeconds(7), maxDeliveries: 4)
            .AddQueue<string>(b)
            .AddSimpleQueue<int>(simple)
            .AddLifoQueue<int>(lifo, capacity: 2)
            .AddPriorityQueue<string>(priority));

        var first = provider.GetRequiredKeyedService<RedisQueue<string>>(a);
        var second = provider.GetRequiredKeyedService<RedisQueue<string>>(b);
        Assert.Same(first, provider.GetRequiredKeyedService<RedisQueue<string>>(a));
        Assert.Equal((RedisKey)a, first.Key);
        Assert.Equal((RedisKey)b, second.Key);
        Assert.Equal(TimeSpan.FromSeconds(7), first.VisibilityTimeout);
        Assert.Equal(4, first.MaxDeliveries);
        Assert.Equal(TimeSpan.FromSeconds(30), second.VisibilityTimeout);
        await first.EnqueueAsync("x");
        Assert.Equal(1, await first.CountAsync());
        Assert.Equal(0, await second.CountAsync());

        await provider.GetRequiredKeyedService<RedisSimpleQueue<int>>(simple).EnqueueAsync(1);
        Assert.Equal(1, await redis.Database.ListLengthAsync(simple));

        var lifoQueue = provider.GetRequiredKeyedService<RedisLifoQueue<int>>(lifo);
        Assert.Equal(2, lifoQueue.Capacity);
        await lifoQueue.EnqueueAsync(1);
        await lifoQueue.EnqueueAsync(2);
        Assert.Equal(2, await lifoQueue.DequeueAsync());

        var priorityQueue = provider.GetRequiredKeyedService<RedisPriorityQueue<string>>(priority);
        await priorityQueue.EnqueueAsync("later", 9);
        await priorityQueue.EnqueueAsync("first", 1);
        Assert.Equal("first", await priorityQueue.DequeueAsync());
    }

    [Fact]
    public async Task Locks_resolve_by_name_with_the_configured_defaults()
    {
        var (orders, invoices) = (Key("orders"), Key("invoices"));
        await using var provider = Provider(p => p.AddLock(orders).AddLock(invoices, TimeSpan.FromSeconds(3), autoExtend: true), ("Pottery:LockAutoReleaseTime", "00:00:25"), ("Pottery:LockMaxExtensions", "5"));

        var first = provider.GetRequiredKeyedService<Redlock>(orders);
        var second = provider.GetRequiredKeyedService<Redlock>(invoices);
        Assert.Equal(orders, first.Name);
        Assert.Equal(TimeSpan.FromSeconds(25), first.AutoReleaseTime);
        Assert.Equal(5, first.MaxExtensions);
        Assert.False(first.AutoExtend);
        Assert.Equal(TimeSpan.FromSeconds(3), second.AutoReleaseTime);
        Assert.True(second.AutoExtend);
        Assert.Equal(1, first.Quorum);

        await using (await first.AcquireAsync())
        {
            Assert.True(await redis.Database.KeyExistsAsync("redlock:" + orders));
            await using var other = await second.TryAcquireAsync();
            Assert.NotNull(other);
        }
    }

    [Fact]
    public async Task Id_generators_resolve_by_name_and_count_separately()
    {
        var (users, orders) = (Key("users"), Key("orders"));
        await using var provider = Provider(p => p.AddNextId(users).AddNextId(orders));

        var userIds = provider.GetRequiredKeyedService<NextId>(users);
        Assert.Equal(1, await userIds.NextAsync());
        Assert.Equal(2, await userIds.NextAsync());
        Assert.Equal(1, await provider.GetRequiredKeyedService<NextId>(orders).NextAsync());
    }

    [Fact]
    public async Task Bloom_filters_resolve_by_key()
    {
        var (seen, banned) = (Key("seen"), Key("banned"));
        await using var provider = Provider(p => p.AddBloomFilter<string>(seen, 1000, 0.01).AddBloomFilter<string>(banned, 50, 0.001));

        var filter = provider.GetRequiredKeyedService<BloomFilter<string>>(seen);
        Assert.Equal(1000, filter.Capacity);
        Assert.Equal(0.001, provider.GetRequiredKeyedService<BloomFilter<string>>(banned).FalsePositiveRate);
        await filter.AddAsync("https://example.org");
        Assert.True(await filter.ContainsAsync("https://example.org"));
        Assert.True(await redis.Database.KeyExistsAsync(seen));
        Assert.False(await provider.GetRequiredKeyedService<BloomFilter<string>>(banned).ContainsAsync("https://example.org"));
    }

    [Fact]
    public async Task Memoized_functions_resolve_by_name_compute_once_per_argument_and_see_the_container()
    {
        var (square, answer) = (Key("square"), Key("answer"));
        var calls = 0;
        await using var provider = Provider(
            p => p
                .AddMemoized<int, string>(square, (sp, n, _) =>
                {
                    Interlocked.Increment(ref calls);
                    return ValueTask.FromResult(sp.GetRequiredService<Prefix>().Text + (n * n).ToString(System.Globalization.CultureInfo.InvariantCulture));
                })
                .AddMemoized(answer, (_, _) => ValueTask.FromResult(42), timeout: TimeSpan.FromMinutes(5)),
            ("Pottery:CacheTimeout", "00:00:30"));

        var memoized = provider.GetRequiredKeyedService<MemoizedFunction<int, string>>(square);
        Assert.Equal("n=9", await memoized.InvokeAsync(3));
        Assert.Equal("n=9", await memoized.InvokeAsync(3));
        Assert.Equal("n=16", await memoized.InvokeAsync(4));
        Assert.Equal(2, calls);
        Assert.Equal(TimeSpan.FromSeconds(30), memoized.Cache.Timeout);
        Assert.Equal(2, await redis.Database.HashLengthAsync(square));

        var constant = provider.GetRequiredKeyedService<MemoizedFunction<ValueTuple, int>>(answer);
        Assert.Equal(42, await constant.InvokeAsync(default));
        Assert.Equal(TimeSpan.FromMinutes(5), constant.Cache.Timeout);
    }

    [Fact]
    public async Task Classes_made_from_PotteryRedis_resolve_plain_and_keyed_without_reflection()
    {
        var (europe, asia) = (Key("europe"), Key("asia"));
        await using var provider = Provider(p => p
            .Add((_, pottery) => new Shop(pottery.LockMasters, "main"))
            .AddKeyed(europe, (_, pottery) => new Shop(pottery.LockMasters, europe))
            .AddKeyed(asia, (_, pottery) => new Shop(pottery.LockMasters, asia), ServiceLifetime.Transient));

        var shop = provider.GetRequiredService<Shop>();
        Assert.Same(shop, provider.GetRequiredService<Shop>());
        Assert.Equal("main", shop.Name);
        Assert.Same(provider.GetRequiredService<PotteryRedis>().Database, Assert.Single(shop.Masters));
        Assert.Equal(europe, provider.GetRequiredKeyedService<Shop>(europe).Name);
        Assert.NotSame(provider.GetRequiredKeyedService<Shop>(asia), provider.GetRequiredKeyedService<Shop>(asia));
    }

    [Fact]
    public async Task The_distributed_cache_is_pottery_s_on_the_prefixed_database_for_both_interfaces()
    {
        var key = Key("entry");
        var services = HostingSetup.Services(("Pottery:ConnectionString", redis.Endpoint), ("Pottery:KeyPrefix", "app:"));
        services.AddDistributedMemoryCache();
        services.AddPottery().AddDistributedCache(options => options.KeyPrefix = "cache:");
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var cache = provider.GetRequiredService<Microsoft.Extensions.Caching.Distributed.IDistributedCache>();
        Assert.IsType<RedisDistributedCache>(cache);
        Assert.Same(cache, provider.GetRequiredService<Microsoft.Extensions.Caching.Distributed.IBufferDistributedCache>());
        await cache.SetAsync(key, [1, 2], new());
        Assert.Equal([1, 2], (byte[]?)await redis.Database.HashGetAsync("app:cache:" + key, "data"));
    }

    [Fact]
    public async Task Semaphores_and_reader_writer_locks_resolve_by_name_on_the_main_database()
    {
        var (pool, slots, catalog) = (Key("pool"), Key("slots"), Key("catalog"));
        await using var provider = Provider(p => p
            .AddSemaphore(pool, permits: 2)
            .AddSemaphore(slots, permits: 1, TimeSpan.FromSeconds(3), autoExtend: true)
            .AddReaderWriterLock(catalog, TimeSpan.FromSeconds(4)));

        var semaphore = provider.GetRequiredKeyedService<RedisSemaphore>(pool);
        Assert.Same(semaphore, provider.GetRequiredKeyedService<RedisSemaphore>(pool));
        Assert.Equal((pool, 2, RedisSemaphore.DefaultLeaseTime, false), (semaphore.Name, semaphore.Permits, semaphore.LeaseTime, semaphore.AutoExtend));
        var other = provider.GetRequiredKeyedService<RedisSemaphore>(slots);
        Assert.Equal((1, TimeSpan.FromSeconds(3), true), (other.Permits, other.LeaseTime, other.AutoExtend));
        Assert.Same(provider.GetRequiredService<PotteryRedis>().Database, semaphore.Database);
        await using (await semaphore.AcquireAsync())
        {
            Assert.Equal(1, await redis.Database.SortedSetLengthAsync("semaphore:{" + pool + "}"));
        }

        var rwlock = provider.GetRequiredKeyedService<RedisReaderWriterLock>(catalog);
        Assert.Equal((catalog, TimeSpan.FromSeconds(4), false), (rwlock.Name, rwlock.LeaseTime, rwlock.AutoExtend));
        await using (await rwlock.AcquireReadAsync())
        {
            Assert.Null(await rwlock.TryAcquireWriteAsync());
        }
    }

    [Fact]
    public async Task Topics_and_reliable_topics_resolve_by_name_and_carry_their_settings()
    {
        var (news, orders) = (Key("news"), Key("orders"));
        await using var provider = Provider(p => p
            .AddTopic<string>(news)
            .AddReliableTopic<int>(orders, maxLength: 1000, maxAge: TimeSpan.FromHours(1), visibilityTimeout: TimeSpan.FromSeconds(9), maxDeliveries: 3));

        var topic = provider.GetRequiredKeyedService<RedisTopic<string>>(news);
        Assert.Same(topic, provider.GetRequiredKeyedService<RedisTopic<string>>(news));
        Assert.Equal(news, topic.Name);
        await using (var subscription = await topic.SubscribeAsync())
        {
            await topic.PublishAsync("hello");
            await using var messages = subscription.GetAsyncEnumerator(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.True(await messages.MoveNextAsync());
            Assert.Equal("hello", messages.Current);
        }

        var reliable = provider.GetRequiredKeyedService<RedisReliableTopic<int>>(orders);
        Assert.Equal((RedisKey)orders, reliable.Key);
        Assert.Equal((1000L, TimeSpan.FromHours(1), TimeSpan.FromSeconds(9), 3), (reliable.MaxLength, reliable.MaxAge, reliable.VisibilityTimeout, reliable.MaxDeliveries));
        await reliable.CreateGroupAsync("billing", TopicPosition.Beginning);
        await reliable.PublishAsync(42);
        using var consumer = reliable.Subscribe("billing", "worker-1");
        var delivery = await consumer.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(42, delivery.Value);
        Assert.True(await delivery.AcknowledgeAsync());
        Assert.Equal(1, await redis.Database.StreamLengthAsync(orders));
    }

    [Fact]
    public async Task Rate_limiters_resolve_by_key_as_their_own_type_and_as_RateLimiter()
    {
        var (bucket, window) = (Key("bucket"), Key("window"));
        await using var provider = Provider(p => p
            .AddTokenBucketRateLimiter(bucket, new() { TokenLimit = 2, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1) })
            .AddSlidingWindowRateLimiter(window, new() { PermitLimit = 1, Window = TimeSpan.FromHours(1) }));

        var tokens = provider.GetRequiredKeyedService<RedisTokenBucketRateLimiter>(bucket);
        Assert.Same(tokens, provider.GetRequiredKeyedService<System.Threading.RateLimiting.RateLimiter>(bucket));
        Assert.Equal(((RedisKey)bucket, 2), (tokens.Key, tokens.TokenLimit));
        Assert.True((await tokens.AcquireAsync(2)).IsAcquired);
        Assert.False((await tokens.AcquireAsync(1)).IsAcquired);

        var sliding = provider.GetRequiredKeyedService<RedisSlidingWindowRateLimiter>(window);
        Assert.Same(sliding, provider.GetRequiredKeyedService<System.Threading.RateLimiting.RateLimiter>(window));
        Assert.Equal(((RedisKey)window, 1), (sliding.Key, sliding.PermitLimit));
        Assert.True((await sliding.AcquireAsync()).IsAcquired);
        Assert.False((await sliding.AcquireAsync()).IsAcquired);
    }

    [Fact]
    public void The_new_registrations_check_their_arguments_when_called()
    {
        var pottery = HostingSetup.Services(("Pottery:ConnectionString", redis.Endpoint)).AddPottery();

        Assert.Throws<ArgumentOutOfRangeException>(() => pottery.AddSemaphore("pool", permits: 0));
        Assert.Throws<ArgumentException>(() => pottery.AddSemaphore("", permits: 1));
        Assert.Throws<ArgumentException>(() => pottery.AddReaderWriterLock(""));
        Assert.Throws<ArgumentException>(() => pottery.AddTopic<string>(""));
        Assert.Throws<ArgumentException>(() => pottery.AddReliableTopic<string>(""));
        Assert.Throws<ArgumentNullException>(() => pottery.AddTokenBucketRateLimiter("bucket", null!));
        Assert.Throws<ArgumentNullException>(() => pottery.AddSlidingWindowRateLimiter("window", null!));
    }

    private ServiceProvider Provider(Action<IPotteryBuilder> register, params (string Key, string? Value)[] settings)
    {
        var services = HostingSetup.Services([("Pottery:ConnectionString", redis.Endpoint), .. settings]);
        services.AddSingleton(new Prefix("n="));
        register(services.AddPottery());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static string Key(string name) => TestKeys.Unique(name).ToString();

    private sealed record Prefix(string Text);

    private sealed class Shop(IReadOnlyList<IDatabase> masters, string name)
    {
        public IReadOnlyList<IDatabase> Masters { get; } = masters;

        public string Name { get; } = name;
    }
}

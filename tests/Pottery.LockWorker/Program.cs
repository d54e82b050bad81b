using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Pottery;
using StackExchange.Redis;

// Usage:
//   count <lock> <counter-key> <iterations> <endpoint,...>   read-increment-write the counter under the lock
//   hold  <lock> <auto-release-ms> <endpoint,...>            acquire, print ACQUIRED, then wait to be killed
//   semaphore <name> <permits> <lease-ms> <holders-key> <iterations> <endpoint>
//                                                            <iterations> times: acquire a permit, INCR <holders-key>, yield, DECR it, release;
//                                                            print DONE and how many times more than <permits> held at once (by the INCR's reply);
//                                                            with 0 iterations: acquire one permit, print ACQUIRED, then wait to be killed
//   memo  <cache-key> <text> <number> <endpoint>             call a memoized (text, number) function, print HIT or MISS and the result
//   hybrid <pottery|stock> <cache-key> <go-key> <count-key> <wait-ms> <endpoint>
//                                                            print READY, wait for <go-key>, then get <cache-key> from a HybridCache whose
//                                                            second level is Pottery's RedisDistributedCache or Microsoft's RedisCache; its
//                                                            factory counts itself in <count-key> and waits up to <wait-ms> for a second
//                                                            computation, so two processes that both compute overlap; print GOT and the value
var mode = args[0];
var endpoints = args[^1].Split(',');
var connections = await Task.WhenAll(endpoints.Select(endpoint => ConnectionMultiplexer.ConnectAsync(endpoint)));
var masters = connections.Select(c => c.GetDatabase()).ToArray();

if (mode == "count")
{
    var redlock = new Redlock(args[1], masters);
    RedisKey counter = args[2];
    var iterations = int.Parse(args[3], CultureInfo.InvariantCulture);
    for (var i = 0; i < iterations; i++)
    {
        await using (await redlock.AcquireAsync())
        {
            var value = (long)await masters[0].StringGetAsync(counter);
            await masters[0].StringSetAsync(counter, value + 1);
        }
    }

    Console.WriteLine("DONE");
    return 0;
}

if (mode == "hold")
{
    var redlock = new Redlock(args[1], masters, autoReleaseTime: TimeSpan.FromMilliseconds(int.Parse(args[2], CultureInfo.InvariantCulture)));
    if (await redlock.TryAcquireAsync() is null)
    {
        Console.WriteLine("BUSY");
        return 1;
    }

    Console.WriteLine("ACQUIRED");
    await Task.Delay(Timeout.Infinite);
}

if (mode == "semaphore")
{
    var semaphore = new RedisSemaphore(args[1], masters[0], int.Parse(args[2], CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture)));
    RedisKey holders = args[4];
    var iterations = int.Parse(args[5], CultureInfo.InvariantCulture);
    if (iterations == 0)
    {
        _ = await semaphore.AcquireAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine("ACQUIRED");
        await Task.Delay(Timeout.Infinite);
    }

    var over = 0;
    for (var i = 0; i < iterations; i++)
    {
        await using (await semaphore.AcquireAsync(TimeSpan.FromSeconds(60)))
        {
            over += await masters[0].StringIncrementAsync(holders) > semaphore.Permits ? 1 : 0;
            await Task.Yield();
            await masters[0].StringDecrementAsync(holders);
        }
    }

    Console.WriteLine($"DONE {over}");
    return 0;
}

if (mode == "memo")
{
    var describe = RedisCache.Memoize(masters[0], args[1], (string text, int number) => $"{text}/{number} by {Environment.ProcessId}");
    var result = await describe.InvokeAsync((args[2], int.Parse(args[3], CultureInfo.InvariantCulture)));
    Console.WriteLine($"{(describe.GetCacheInfo().Hits == 1 ? "HIT" : "MISS")} {result}");
    return 0;
}

if (mode == "hybrid")
{
    var services = new ServiceCollection();
    if (args[1] == "pottery")
    {
        services.AddSingleton<IDistributedCache>(new RedisDistributedCache(masters[0]));
    }
    else
    {
        services.AddStackExchangeRedisCache(options => options.Configuration = endpoints[0]);
    }

    services.AddHybridCache();
    await using var provider = services.BuildServiceProvider();
    var cache = provider.GetRequiredService<HybridCache>();
    RedisKey go = args[3], count = args[4];
    var wait = TimeSpan.FromMilliseconds(int.Parse(args[5], CultureInfo.InvariantCulture));
    Console.WriteLine("READY");
    var startBy = DateTime.UtcNow + TimeSpan.FromSeconds(60);
    while (!await masters[0].KeyExistsAsync(go))
    {
        if (DateTime.UtcNow > startBy)
        {
            Console.WriteLine("NO GO");
            return 1;
        }

        await Task.Delay(10);
    }

    var value = await cache.GetOrCreateAsync(args[2], async token =>
    {
        await masters[0].StringIncrementAsync(count);
        var until = DateTime.UtcNow + wait;
        while ((long)await masters[0].StringGetAsync(count) < 2 && DateTime.UtcNow < until)
        {
            await Task.Delay(10, token);
        }

        return $"computed by {Environment.ProcessId}";
    });

    // HybridCache writes its second level after it returns: exiting before then would leave the key to its lease.
    while (!await masters[0].KeyExistsAsync(args[2]))
    {
        if (DateTime.UtcNow > startBy)
        {
            Console.WriteLine("NOT STORED");
            return 1;
        }

        await Task.Delay(10);
    }

    Console.WriteLine($"GOT {value}");
    return 0;
}

Console.Error.WriteLine($"unknown mode {mode}");
return 2;

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
//   rwlock <name> <read|write> <lease-ms> <endpoint>         acquire a read or the write of a reader-writer lock, print ACQUIRED, then wait to be killed
//   rwcycles <name> <readers-key> <writers-key> <iterations> <endpoint>
//                                                            <iterations> times: every fourth a write (INCR <writers-key>, GET <readers-key>), else a read
//                                                            (INCR <readers-key>, GET <writers-key>), yield, DECR, release; print DONE and how many
//                                                            times a writer saw anyone else or a reader saw a writer
//   memo  <cache-key> <text> <number> <endpoint>             call a memoized (text, number) function, print HIT or MISS and the result
//   hybrid <pottery|stock> <cache-key> <go-key> <count-key> <wait-ms> <endpoint>
//                                                            print READY, wait for <go-key>, then get <cache-key> from a HybridCache whose
//                                                            second level is Pottery's RedisDistributedCache or Microsoft's RedisCache; its
//                                                            factory counts itself in <count-key> and waits up to <wait-ms> for a second
//                                                            computation, so two processes that both compute overlap; print GOT and the value
//   ratelimit <bucket|window> <key> <limit> <per-period> <period-ms> <go-key> <run-ms> <threads> <endpoint>
//                                                            print READY, wait for <go-key>, then call AttemptAcquire from <threads> threads
//                                                            for <run-ms>; print "G <sent> <answered>" (Stopwatch timestamps) per grant,
//                                                            then "DONE <granted> <attempts>"
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

if (mode == "rwlock")
{
    var rwlock = new RedisReaderWriterLock(args[1], masters[0], TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture)));
    _ = args[2] == "write" ? await rwlock.AcquireWriteAsync(TimeSpan.FromSeconds(60)) : await rwlock.AcquireReadAsync(TimeSpan.FromSeconds(60));
    Console.WriteLine("ACQUIRED");
    await Task.Delay(Timeout.Infinite);
}

if (mode == "rwcycles")
{
    var rwlock = new RedisReaderWriterLock(args[1], masters[0]);
    RedisKey readers = args[2], writers = args[3];
    var iterations = int.Parse(args[4], CultureInfo.InvariantCulture);
    var overlaps = 0;
    for (var i = 0; i < iterations; i++)
    {
        var write = i % 4 == 0;
        await using (write ? await rwlock.AcquireWriteAsync(TimeSpan.FromSeconds(60)) : await rwlock.AcquireReadAsync(TimeSpan.FromSeconds(60)))
        {
            var (mine, theirs) = write ? (writers, readers) : (readers, writers);
            var with = await masters[0].StringIncrementAsync(mine);
            overlaps += (write && with != 1) || (long)await masters[0].StringGetAsync(theirs) != 0 ? 1 : 0;
            await Task.Yield();
            await masters[0].StringDecrementAsync(mine);
        }
    }

    Console.WriteLine($"DONE {overlaps}");
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

if (mode == "ratelimit")
{
    var limit = int.Parse(args[3], CultureInfo.InvariantCulture);
    var period = TimeSpan.FromMilliseconds(int.Parse(args[5], CultureInfo.InvariantCulture));
    using System.Threading.RateLimiting.RateLimiter limiter = args[1] == "bucket"
        ? new RedisTokenBucketRateLimiter(masters[0], args[2], new() { TokenLimit = limit, TokensPerPeriod = int.Parse(args[4], CultureInfo.InvariantCulture), ReplenishmentPeriod = period })
        : new RedisSlidingWindowRateLimiter(masters[0], args[2], new() { PermitLimit = limit, Window = period });
    RedisKey go = args[6];
    var run = TimeSpan.FromMilliseconds(int.Parse(args[7], CultureInfo.InvariantCulture));
    var threads = int.Parse(args[8], CultureInfo.InvariantCulture);

    // Load the script and warm the call path before the start, so every worker hammers from the go.
    limiter.AttemptAcquire(0).Dispose();
    Console.WriteLine("READY");
    var startBy = DateTime.UtcNow + TimeSpan.FromSeconds(60);
    while (!await masters[0].KeyExistsAsync(go))
    {
        if (DateTime.UtcNow > startBy)
        {
            Console.WriteLine("NO GO");
            return 1;
        }

        await Task.Delay(5);
    }

    var start = System.Diagnostics.Stopwatch.GetTimestamp();
    var grants = new List<(long Sent, long Answered)>[threads];
    var attempts = new long[threads];
    var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
    {
        var mine = grants[t] = [];
        while (System.Diagnostics.Stopwatch.GetElapsedTime(start) < run)
        {
            var sent = System.Diagnostics.Stopwatch.GetTimestamp();
            using var lease = limiter.AttemptAcquire();
            attempts[t]++;
            if (lease.IsAcquired)
            {
                mine.Add((sent, System.Diagnostics.Stopwatch.GetTimestamp()));
            }
        }
    })).ToArray();
    foreach (var worker in workers)
    {
        worker.Start();
    }

    foreach (var worker in workers)
    {
        worker.Join();
    }

    foreach (var (sent, answered) in grants.SelectMany(g => g))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"G {sent} {answered}"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DONE {grants.Sum(g => g.Count)} {attempts.Sum()}"));
    return 0;
}

Console.Error.WriteLine($"unknown mode {mode}");
return 2;

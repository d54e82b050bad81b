using System.Globalization;
using Pottery;
using StackExchange.Redis;

// Usage:
//   count <lock> <counter-key> <iterations> <endpoint,...>   read-increment-write the counter under the lock
//   hold  <lock> <auto-release-ms> <endpoint,...>            acquire, print ACQUIRED, then wait to be killed
//   memo  <cache-key> <text> <number> <endpoint>             call a memoized (text, number) function, print HIT or MISS and the result
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

if (mode == "memo")
{
    var describe = RedisCache.Memoize(masters[0], args[1], (string text, int number) => $"{text}/{number} by {Environment.ProcessId}");
    var result = await describe.InvokeAsync((args[2], int.Parse(args[3], CultureInfo.InvariantCulture)));
    Console.WriteLine($"{(describe.GetCacheInfo().Hits == 1 ? "HIT" : "MISS")} {result}");
    return 0;
}

Console.Error.WriteLine($"unknown mode {mode}");
return 2;

using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Quickstart;

/// <summary>The stops of the tour, one per feature, each printing what it shows.</summary>
internal static class Tour
{
    public static async Task RunAsync(IDatabase redis)
    {
        using var timer = ContextTimer.StartNew();
        var key = await RandomKey.CreateAsync(redis);
        Console.WriteLine();
        Console.WriteLine($"1. Random keys: structures without a key get an unused one, e.g. {key}.");

        await Codecs(redis, key);
        await BadBytes(redis, key);
        await redis.KeyDeleteAsync(key);
        await PythonCompatible(redis, key);
        await redis.KeyDeleteAsync(key);

        await CollectionsTour.RunAsync(redis);
        await LockingTour.RunAsync(redis);
        await ProbabilisticTour.RunAsync(redis);
        await GeneratedTour.RunAsync(redis);
        await CoordinationTour.RunAsync(redis);

        timer.Stop();
        Console.WriteLine();
        Console.WriteLine($"ContextTimer: this tour took {timer.ElapsedMilliseconds} ms.");
    }

    private static async Task Codecs(IDatabase redis, RedisKey key)
    {
        var ints = RedisCodecs.For<int>();
        var when = RedisCodecs.For<DateTimeOffset>();
        var state = RedisCodecs.For<DayOfWeek>();
        await redis.HashSetAsync(key,
        [
            new("visits", ints.Encode(41)),
            new("since", when.Encode(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero))),
            new("day", state.Encode(DayOfWeek.Tuesday)),
        ]);
        await redis.HashIncrementAsync(key, "visits", 1);

        Console.WriteLine();
        Console.WriteLine("2. Codecs store plain, readable strings (what redis-cli HGETALL shows):");
        foreach (var entry in await redis.HashGetAllAsync(key))
        {
            Console.WriteLine($"     {entry.Name} = {entry.Value}");
        }

        var visits = ints.DecodeAt(await redis.HashGetAsync(key, "visits"), key, "visits");
        Console.WriteLine($"   and numbers stay numbers: HINCRBY made visits {visits}.");
    }

    private static async Task PythonCompatible(IDatabase redis, RedisKey key)
    {
        var keys = PotteryJsonCodec<string>.Instance;
        var values = PotteryJsonCodec<object>.Instance;
        await redis.HashSetAsync(key,
        [
            new(keys.Encode("jack"), values.Encode(4098)),
            new(keys.Encode("unicode"), values.Encode("ünï")),
            new(keys.Encode("list"), values.Encode(new List<object?> { 1, 2, 3 })),
        ]);

        Console.WriteLine();
        Console.WriteLine("4. PotteryJsonCodec writes what Python's pottery writes, so both can share a dict:");
        foreach (var entry in await redis.HashGetAllAsync(key))
        {
            Console.WriteLine($"     {entry.Name} = {entry.Value}");
        }
    }

    private static async Task BadBytes(IDatabase redis, RedisKey key)
    {
        Console.WriteLine();
        Console.WriteLine("3. Errors say what happened: reading the 'day' field as a number gives");
        try
        {
            RedisCodecs.For<int>().DecodeAt(await redis.HashGetAsync(key, "day"), key, "day");
        }
        catch (CodecException error)
        {
            Console.WriteLine($"     {error.GetType().Name}: {error.Message}");
        }
    }
}

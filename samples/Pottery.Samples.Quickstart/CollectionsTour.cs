using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Quickstart;

/// <summary>The collections stops of the tour: each structure used the way its BCL or Python twin is.</summary>
internal static class CollectionsTour
{
    public static async Task RunAsync(IDatabase redis)
    {
        Dict(redis);
        Set(redis);
        List(redis);
        Counter(redis);
        Deque(redis);
        await Queue(redis);
    }

    private static void Dict(IDatabase redis)
    {
        using var tel = new RedisDict<string, int>(redis, new Dictionary<string, int> { ["jack"] = 4098, ["sape"] = 4139 });
        tel["guido"] = 4127;
        tel.Remove("sape");
        tel.Increment("jack");
        Console.WriteLine();
        Console.WriteLine($"5. RedisDict (a hash at {tel.Key}): {Show(tel.ToDictionary().OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}"))}, "
            + $"ContainsKey(\"guido\") = {tel.ContainsKey("guido")}");
    }

    private static void Set(IDatabase redis)
    {
        using var a = new RedisSet<char>(redis, items: "abracadabra");
        using var b = new RedisSet<char>(redis, items: "alacazam");
        Console.WriteLine();
        Console.WriteLine($"6. RedisSet: a = {Show(a.Order())}, b = {Show(b.Order())}; computed in Redis: "
            + $"a - b = {Show(a.DifferenceOf(b).Order())}, a | b = {Show(a.UnionOf(b).Order())}, a & b = {Show(a.IntersectionOf(b).Order())}, a ^ b = {Show(a.SymmetricDifferenceOf(b).Order())}");
    }

    private static void List(IDatabase redis)
    {
        using var squares = new RedisList<int>(redis, [1, 4, 9, 16, 25]);
        squares.Add(36);
        squares.Insert(0, 0);
        Console.WriteLine();
        Console.WriteLine($"7. RedisList: {Show(squares)}; squares[-1] = {squares[-1]}, squares[^3..] = {Show(squares[^3..])}");
    }

    private static void Counter(IDatabase redis)
    {
        using var letters = new RedisCounter<char>(redis, items: "abracadabra");
        Console.WriteLine();
        Console.WriteLine($"8. RedisCounter: most common {Show(letters.MostCommon(3).Select(e => $"{e.Key}:{e.Value}"))}, total {letters.Total()}");
    }

    private static void Deque(IDatabase redis)
    {
        using var recent = new RedisDeque<string>(redis, maxLength: 3);
        recent.AddLastRange(["a", "b", "c", "d"]);
        recent.AddFirst("z");
        recent.Rotate(1);
        Console.WriteLine();
        Console.WriteLine($"9. RedisDeque (maxLength 3, AddLastRange abcd, AddFirst z, Rotate 1): {Show(recent)}");
    }

    private static async Task Queue(IDatabase redis)
    {
        using var jobs = new RedisQueue<string>(redis);
        var consumer = Task.Run(async () =>
        {
            var done = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var (found, job) = await jobs.TryDequeueAsync(TimeSpan.FromSeconds(10));
                if (!found)
                {
                    break;
                }

                done.Add(job!.Value);
                await jobs.AcknowledgeAsync(job);
            }

            return done;
        });
        foreach (var job in new[] { "resize photo", "send email", "bill customer" })
        {
            await jobs.EnqueueAsync(job);
        }

        var handled = await consumer;
        await jobs.JoinAsync();
        Console.WriteLine();
        Console.WriteLine($"10. RedisQueue: a consumer task took {Show(handled)} as the producer put them, acknowledged each, and Join returned.");
    }

    private static string Show<T>(IEnumerable<T> items) => "[" + string.Join(", ", items) + "]";
}

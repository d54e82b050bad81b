using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Quickstart;

/// <summary>The locking stops of the tour: a Redlock with an extension and fencing tokens, then NextId.</summary>
internal static class LockingTour
{
    public static async Task RunAsync(IDatabase redis)
    {
        var name = $"quickstart:{Guid.NewGuid():N}";
        var printer = new Redlock(name, redis, autoReleaseTime: TimeSpan.FromSeconds(5)) { Fenced = true };
        await using (var handle = await printer.AcquireAsync())
        {
            Console.WriteLine();
            Console.WriteLine($"11. Redlock '{name}' (Redis key {printer.Key}) held for {await handle.HeldForAsync():s\\.f} s; fencing token {handle.FencingToken}.");
            Console.WriteLine($"    A rival's single try: {(await printer.TryAcquireAsync() is null ? "refused" : "granted")}.");
            await handle.ExtendAsync();
            Console.WriteLine($"    Extended: {await handle.HeldForAsync():s\\.f} s left.");
        }

        await using (var next = await printer.AcquireAsync())
        {
            Console.WriteLine($"    After release the rival got it with fencing token {next.FencingToken} (higher, so a stale holder's writes can be refused).");
        }

        var ids = new NextId(name, redis);
        var taken = new List<long>();
        await foreach (var id in ids.AsAsyncEnumerable())
        {
            taken.Add(id);
            if (taken.Count == 5)
            {
                break;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"12. NextId (Redis key {ids.Key}): {string.Join(", ", taken)}.");
        await ids.ResetAsync();
    }
}

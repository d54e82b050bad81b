using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Quickstart;

/// <summary>The last stops of the tour: a Bloom filter, a HyperLogLog, a memoized function and a CachedOrderedDict.</summary>
internal static class ProbabilisticTour
{
    public static async Task RunAsync(IDatabase redis)
    {
        // pottery's encoding, so a Python service using pottery reads and writes the same filter.
        await using var dilberts = new BloomFilter<string>(redis, capacity: 100, falsePositiveRate: 0.01, codec: new PotteryJsonCodec<string>());
        await dilberts.AddAsync("rajiv");
        await dilberts.AddRangeAsync(["raj", "dan"]);
        var answers = await dilberts.ContainsManyAsync(["rajiv", "raj", "dan", "luis"]);
        Console.WriteLine();
        Console.WriteLine($"13. BloomFilter ({dilberts.Bits} bits, {dilberts.Hashes} hashes at {dilberts.Key}): 'rajiv' sets bits {string.Join(", ", dilberts.BitOffsets("rajiv"))}.");
        Console.WriteLine($"    Contains rajiv, raj, dan, luis: {string.Join(", ", answers)}; about {await dilberts.CountAsync()} elements.");

        await using var searches = new HyperLogLog<string>(redis, ["sonic the hedgehog video game", "google in 1998", "minesweeper"]);
        await searches.AddAsync("joey tribbiani");
        Console.WriteLine();
        Console.WriteLine($"14. HyperLogLog: about {await searches.CountAsync()} distinct searches; 'minesweeper' seen: {await searches.ContainsAsync("minesweeper")}, 'ross geller' seen: {await searches.ContainsAsync("ross geller")}.");

        var computed = 0;
        await using var expensive = RedisCache.Memoize(redis, $"quickstart:expensive:{Guid.NewGuid():N}", (int n) =>
        {
            computed++;
            return n * n;
        });
        await expensive.InvokeAsync(5);
        await expensive.InvokeAsync(5);
        await expensive.InvokeAsync(6);
        Console.WriteLine();
        Console.WriteLine($"15. Memoized square(5), square(5), square(6): computed {computed} times; {await expensive.GetCacheInfoAsync()}.");
        await expensive.ClearCacheAsync();

        var cacheKey = (RedisKey)$"quickstart:documents:{Guid.NewGuid():N}";
        var first = await CachedOrderedDict<int, string>.CreateAsync(redis, cacheKey, [1, 2, 3], timeout: TimeSpan.FromMinutes(1));
        await first.SetItemsAsync(first.Misses.Select(id => KeyValuePair.Create(id, $"document {id}")));
        var second = await CachedOrderedDict<int, string>.CreateAsync(redis, cacheKey, [3, 4, 2], timeout: TimeSpan.FromMinutes(1));
        Console.WriteLine($"    CachedOrderedDict for ids 3, 4, 2 after 1, 2, 3 were hydrated: still to compute {string.Join(", ", second.Misses)}; cached {string.Join(", ", second.Select(e => $"{e.Key}: {e.Value}"))}.");
        await redis.KeyDeleteAsync(cacheKey);
    }
}

using System.Threading.RateLimiting;
using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Quickstart;

/// <summary>The coordination stops of the tour: a semaphore, a rate limiter, a topic and an event.</summary>
internal static class CoordinationTour
{
    public static async Task RunAsync(IDatabase redis)
    {
        var name = $"quickstart:{Guid.NewGuid():N}";
        var printers = new RedisSemaphore(name, redis, permits: 2);
        await using (var first = await printers.AcquireAsync())
        await using (var second = await printers.AcquireAsync())
        {
            Console.WriteLine();
            Console.WriteLine($"19. RedisSemaphore '{name}' (Redis key {printers.Key}): 2 permits taken, {await printers.AvailableCountAsync()} free; a third single try: {(await printers.TryAcquireAsync() is null ? "refused" : "granted")}.");
        }

        Console.WriteLine($"    After both released: {await printers.AvailableCountAsync()} free.");

        using var limiter = new RedisTokenBucketRateLimiter(redis, $"{name}:rate", new() { TokenLimit = 3, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1) });
        var granted = Enumerable.Range(0, 5).Select(_ => { using var lease = limiter.AttemptAcquire(); return lease.IsAcquired; }).Count(acquired => acquired);
        using var refused = limiter.AttemptAcquire();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        Console.WriteLine();
        Console.WriteLine($"20. RedisTokenBucketRateLimiter (3 tokens, 1 a minute, shared by every process): {granted} of 5 tries granted; the next may retry after {retryAfter.TotalSeconds:F0} s.");

        var topic = new RedisTopic<string>(redis, $"{name}:news");
        await using (var subscription = await topic.SubscribeAsync())
        {
            await topic.PublishAsync("pottery for .NET has topics");
            await using var messages = subscription.GetAsyncEnumerator();
            await messages.MoveNextAsync();
            Console.WriteLine();
            Console.WriteLine($"21. RedisTopic '{topic.Name}': the subscriber received \"{messages.Current}\".");
        }

        using var ready = new RedisEvent(redis, $"{name}:ready");
        var waiting = ready.WaitAsync(TimeSpan.FromSeconds(10)).AsTask();
        await ready.SetAsync();
        Console.WriteLine($"    RedisEvent: a waiter was woken by the set: {await waiting}.");
        await ready.ClearAsync();
    }
}

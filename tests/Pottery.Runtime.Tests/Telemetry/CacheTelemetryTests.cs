using System.Diagnostics;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

public sealed class CacheTelemetryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_miss_counts_and_computes_in_a_span_and_a_hit_counts()
    {
        using var telemetry = new TelemetryCollector();
        var key = TestKeys.Unique("cache");
        using var square = RedisCache.Memoize<int, int>(redis.Database, key, x => x * x);
        var name = square.Cache.Key.ToString();

        Assert.Equal(9, await square.InvokeAsync(3));
        Assert.Equal(9, await square.InvokeAsync(3));
        Assert.Equal(9, await square.InvokeAsync(3));

        var miss = Assert.Single(telemetry.Tagged("pottery.cache.misses", "pottery.cache.name", name));
        Assert.Equal(("{lookup}", 1d), (miss.Unit, miss.Value));
        var hits = telemetry.Tagged("pottery.cache.hits", "pottery.cache.name", name);
        Assert.Equal(2, hits.Count);
        Assert.All(hits, m => Assert.Equal(("{lookup}", 1d), (m.Unit, m.Value)));
        var span = Assert.Single(telemetry.Spans("pottery.cache.compute", "pottery.cache.name", name));
        Assert.Equal((ActivityKind.Client, "redis", "0", true), (span.Kind, span.GetTagItem("db.system.name"), span.GetTagItem("db.namespace"), span.GetTagItem("pottery.cache.computed")));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Empty(telemetry.Tagged("pottery.cache.single_flight.waits", "pottery.cache.name", name));
    }

    [Fact]
    public async Task A_miss_that_waits_for_another_computation_counts_a_single_flight_wait_and_a_hit()
    {
        using var telemetry = new TelemetryCollector();
        var key = TestKeys.Unique("cache");
        await using var elsewhere = await redis.ConnectAsync();
        var computing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async Task<int> Slow(int x, CancellationToken token)
        {
            Interlocked.Increment(ref calls);
            computing.TrySetResult();
            await finish.Task.WaitAsync(token);
            return x + 1;
        }

        // Two processes' worth: separate connections, so the second waits for the first's lock in Redis.
        using var first = RedisCache.Memoize<int, int>(redis.Database, key, Slow);
        using var second = RedisCache.Memoize<int, int>(elsewhere.GetDatabase(), key, Slow);
        var name = first.Cache.Key.ToString();
        var computed = first.InvokeAsync(1).AsTask();
        await computing.Task.WaitAsync(Deadline);
        var waited = second.InvokeAsync(1).AsTask();
        // The second listens for the field lock's release once a try found it held: then it is waiting.
        await Eventually.SucceedsAsync(
            async () =>
            {
                var channels = (RedisResult[])(await redis.Database.ExecuteAsync("PUBSUB", "CHANNELS", $"redlock:{name}:*:released"))!;
                Assert.NotEmpty(channels);
                return channels;
            },
            Deadline);
        finish.SetResult();

        Assert.Equal((2, 2), (await computed.WaitAsync(Deadline), await waited.WaitAsync(Deadline)));
        Assert.Equal(1, calls);
        var wait = Assert.Single(telemetry.Tagged("pottery.cache.single_flight.waits", "pottery.cache.name", name));
        Assert.Equal(("{lookup}", 1d), (wait.Unit, wait.Value));
        Assert.Single(telemetry.Tagged("pottery.cache.misses", "pottery.cache.name", name));
        Assert.Single(telemetry.Tagged("pottery.cache.hits", "pottery.cache.name", name));
        var spans = telemetry.Spans("pottery.cache.compute", "pottery.cache.name", name);
        Assert.Equal([false, true], spans.Select(s => (bool)s.GetTagItem("pottery.cache.computed")!).Order());
    }
}

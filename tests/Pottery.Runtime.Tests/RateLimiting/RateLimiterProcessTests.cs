using System.Diagnostics;
using System.Globalization;
using Pottery.Runtime.Tests.Locking;
using Pottery.Testing.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.RateLimiting;

/// <summary>
/// One limiter hammered by four OS processes at once, as by four instances of a service. Each worker
/// reports every grant as the interval between sending its script and reading the reply (on the
/// machine's monotonic clock, which all processes share), so the server granted it somewhere inside:
/// grants whose intervals all fit in a span are certainly that close together, whatever the scheduling.
/// </summary>
/// <remarks>
/// Run alone: the ≥ 95% half asks the workers to keep up with the limit, which the other suites,
/// starving the two cores, could prevent.
/// </remarks>
[Collection(TimingSensitive.Name)]
public sealed class RateLimiterProcessTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int Workers = 4;
    private const int ThreadsPerWorker = 3;

    [Fact]
    public async Task Four_processes_never_get_more_than_the_window_allows_and_get_at_least_95_percent_of_it()
    {
        const int limit = 50;
        var window = TimeSpan.FromSeconds(1);

        // 3.5 windows: the fourth window's grants start after 3 and are all given well before the end.
        var grants = await HammerAsync("window", limit, perPeriod: 0, window, run: window * 3.5);

        var sorted = grants.OrderBy(g => g.Sent).ToArray();
        var span = Stopwatch.GetElapsedTime(sorted[0].Sent, sorted.Max(g => g.Answered));

        // Any grants whose intervals all lie within less than one window were granted within one window.
        var certainlyWithin = window - TimeSpan.FromMilliseconds(2);
        foreach (var first in sorted)
        {
            var together = sorted.Count(g => g.Sent >= first.Sent && Stopwatch.GetElapsedTime(first.Sent, g.Answered) < certainlyWithin);
            Assert.True(together <= limit, $"{together} grants within one window of {first.Sent}, limit {limit}");
        }

        var windows = (int)(span / window) + 1;
        output.WriteLine($"{grants.Count} grants over {span.TotalMilliseconds} ms: {windows} windows of {limit}");
        Assert.True(grants.Count <= limit * windows, $"{grants.Count} grants over {span.TotalMilliseconds} ms, at most {limit * windows} allowed");
        Assert.True(grants.Count >= 0.95 * limit * windows, $"{grants.Count} grants over {span.TotalMilliseconds} ms ({windows} windows of {limit}): under 95%");
    }

    [Fact]
    public async Task Four_processes_never_get_more_than_the_bucket_allows_and_get_at_least_95_percent_of_it()
    {
        const int capacity = 40;
        const int perPeriod = 5;
        var period = TimeSpan.FromMilliseconds(50);

        var grants = await HammerAsync("bucket", capacity, perPeriod, period, run: TimeSpan.FromSeconds(3));

        // The server granted them all within the span, which holds at most whole periods + 1 refills.
        var span = Stopwatch.GetElapsedTime(grants.Min(g => g.Sent), grants.Max(g => g.Answered));
        var periods = (int)(span / period);
        var allowed = capacity + perPeriod * (periods + 1);
        Assert.True(grants.Count <= allowed, $"{grants.Count} grants over {span.TotalMilliseconds} ms, at most {allowed} allowed");
        var due = capacity + perPeriod * periods;
        output.WriteLine($"{grants.Count} grants over {span.TotalMilliseconds} ms: {due} due, at most {allowed} allowed");
        Assert.True(grants.Count >= 0.95 * due, $"{grants.Count} grants over {span.TotalMilliseconds} ms, {due} due: under 95%");
    }

    private async Task<List<(long Sent, long Answered)>> HammerAsync(string kind, int limit, int perPeriod, TimeSpan period, TimeSpan run)
    {
        var key = TestKeys.Unique(kind).ToString();
        var go = TestKeys.Unique("go");
        var workers = Enumerable.Range(0, Workers).Select(_ => LockWorkerProcess.Start(
            "ratelimit", kind, key, Text(limit), Text(perPeriod), Text((int)period.TotalMilliseconds), go.ToString(), Text((int)run.TotalMilliseconds), Text(ThreadsPerWorker), redis.Endpoint)).ToArray();
        try
        {
            foreach (var worker in workers)
            {
                Assert.Equal("READY", await worker.NextLineAsync(TimeSpan.FromMinutes(1)));
            }

            await redis.Database.StringSetAsync(go, 1);
            var grants = new List<(long Sent, long Answered)>();
            foreach (var worker in workers)
            {
                var reported = 0;
                while (true)
                {
                    var line = await worker.NextLineAsync(run + TimeSpan.FromMinutes(1));
                    var parts = line.Split(' ');
                    if (parts[0] == "G")
                    {
                        grants.Add((long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
                        reported++;
                        continue;
                    }

                    Assert.Equal("DONE", parts[0]);
                    Assert.Equal(reported, int.Parse(parts[1], CultureInfo.InvariantCulture));
                    break;
                }
            }

            return grants;
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

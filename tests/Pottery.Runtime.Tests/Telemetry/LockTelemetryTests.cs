using System.Diagnostics;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

public sealed class LockTelemetryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static string Name() => TestKeys.Unique("lock").ToString();

    [Fact]
    public async Task An_acquisition_records_its_duration_and_outcome_and_a_client_span_with_the_lock_name()
    {
        using var telemetry = new TelemetryCollector();
        var name = Name();

        await using (await new Redlock(name, redis.Database).AcquireAsync())
        {
        }

        var duration = Assert.Single(telemetry.InScope("pottery.lock.acquire.duration"));
        Assert.Equal("s", duration.Unit);
        Assert.Equal("acquired", duration.Tag("pottery.lock.outcome"));
        Assert.InRange(duration.Value, 0, 60);
        var acquisition = Assert.Single(telemetry.InScope("pottery.lock.acquisitions"));
        Assert.Equal(("{acquisition}", 1d, "acquired"), (acquisition.Unit, acquisition.Value, acquisition.Tag("pottery.lock.outcome")));
        Assert.Empty(telemetry.InScope("pottery.lock.contended"));

        var span = Assert.Single(telemetry.Spans("pottery.lock.acquire", "pottery.lock.name", name));
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
        Assert.Equal("0", span.GetTagItem("db.namespace"));
        Assert.Equal("acquired", span.GetTagItem("pottery.lock.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_lock_held_elsewhere_counts_as_contended_and_its_timeouts_are_reported()
    {
        var name = Name();
        await using var elsewhere = await redis.ConnectAsync();
        await using var held = await new Redlock(name, elsewhere.GetDatabase()).AcquireAsync();
        using var telemetry = new TelemetryCollector();
        var redlock = new Redlock(name, redis.Database) { RetryDelay = TimeSpan.FromMilliseconds(20) };

        Assert.Null(await redlock.TryAcquireAsync(TimeSpan.FromMilliseconds(100)));
        await Assert.ThrowsAsync<TimeoutException>(async () => await redlock.AcquireAsync(TimeSpan.FromMilliseconds(100)));

        Assert.Equal(["timeout", "timeout"], telemetry.InScope("pottery.lock.acquisitions").Select(m => m.Tag("pottery.lock.outcome")));
        var contended = telemetry.InScope("pottery.lock.contended");
        Assert.Equal(2, contended.Count);
        Assert.All(contended, m => Assert.Equal(("{acquisition}", 1d, "timeout"), (m.Unit, m.Value, m.Tag("pottery.lock.outcome"))));
        Assert.All(telemetry.InScope("pottery.lock.acquire.duration"), m => Assert.Equal(("s", "timeout"), (m.Unit, m.Tag("pottery.lock.outcome"))));

        var spans = telemetry.Spans("pottery.lock.acquire", "pottery.lock.name", name);
        Assert.Equal(2, spans.Count);
        Assert.All(spans, span => Assert.Equal("timeout", span.GetTagItem("pottery.lock.outcome")));
        // Returning null is an answer; throwing is a failed span.
        Assert.Single(spans, span => span.Status == ActivityStatusCode.Unset);
        var failed = Assert.Single(spans, span => span.Status == ActivityStatusCode.Error);
        Assert.Equal("System.TimeoutException", failed.GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_single_try_behind_a_holder_of_this_process_is_contended()
    {
        var redlock = new Redlock(Name(), redis.Database);
        await using var held = await redlock.AcquireAsync();
        using var telemetry = new TelemetryCollector();

        Assert.Null(await redlock.TryAcquireAsync());

        Assert.Equal("timeout", Assert.Single(telemetry.InScope("pottery.lock.contended")).Tag("pottery.lock.outcome"));
    }
}

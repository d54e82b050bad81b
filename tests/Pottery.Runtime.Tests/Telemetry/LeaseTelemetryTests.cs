using System.Diagnostics;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

/// <summary>Semaphore permits and reader-writer lock reads and writes report as the lock does, told apart by <c>pottery.lock.kind</c>.</summary>
public sealed class LeaseTelemetryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static string Name(string what) => TestKeys.Unique(what).ToString();

    [Fact]
    public async Task Semaphore_permits_record_acquisitions_by_outcome_contention_and_a_span_with_the_kind()
    {
        var name = Name("semaphore");
        var semaphore = new RedisSemaphore(name, redis.Database, permits: 1) { RetryDelay = TimeSpan.FromMilliseconds(20) };
        using var telemetry = new TelemetryCollector();

        await using (await semaphore.AcquireAsync())
        {
            Assert.Null(await semaphore.TryAcquireAsync());
            await Assert.ThrowsAsync<TimeoutException>(async () => await semaphore.AcquireAsync(TimeSpan.FromMilliseconds(100)));
        }

        var acquisitions = telemetry.InScope("pottery.lock.acquisitions");
        Assert.Equal([("acquired", "semaphore"), ("timeout", "semaphore"), ("timeout", "semaphore")], acquisitions.Select(m => (m.Tag("pottery.lock.outcome"), m.Tag("pottery.lock.kind"))));
        Assert.All(acquisitions, m => Assert.Equal(("{acquisition}", 1d), (m.Unit, m.Value)));
        var durations = telemetry.InScope("pottery.lock.acquire.duration");
        Assert.Equal(3, durations.Count);
        Assert.All(durations, m => Assert.Equal(("s", "semaphore"), (m.Unit, m.Tag("pottery.lock.kind"))));
        var contended = telemetry.InScope("pottery.lock.contended");
        Assert.Equal(2, contended.Count);
        Assert.All(contended, m => Assert.Equal(("timeout", "semaphore"), (m.Tag("pottery.lock.outcome"), m.Tag("pottery.lock.kind"))));

        var spans = telemetry.Spans("pottery.lock.acquire", "pottery.lock.name", name);
        Assert.Equal(["acquired", "timeout", "timeout"], spans.Select(s => s.GetTagItem("pottery.lock.outcome")));
        Assert.All(spans, s => Assert.Equal((ActivityKind.Client, "redis", "0", "semaphore"), (s.Kind, s.GetTagItem("db.system.name"), s.GetTagItem("db.namespace"), s.GetTagItem("pottery.lock.kind"))));
        var failed = Assert.Single(spans, s => s.Status == ActivityStatusCode.Error);
        Assert.Equal("System.TimeoutException", failed.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Reads_and_writes_of_a_reader_writer_lock_record_their_own_kind()
    {
        var name = Name("rwlock");
        var rwlock = new RedisReaderWriterLock(name, redis.Database);
        using var telemetry = new TelemetryCollector();

        await using (await rwlock.AcquireReadAsync())
        {
            await using var second = await rwlock.AcquireReadAsync();
            Assert.Null(await rwlock.TryAcquireWriteAsync());
        }

        await using (await rwlock.AcquireWriteAsync())
        {
        }

        Assert.Equal(
            [("acquired", "read"), ("acquired", "read"), ("timeout", "write"), ("acquired", "write")],
            telemetry.InScope("pottery.lock.acquisitions").Select(m => (m.Tag("pottery.lock.outcome"), m.Tag("pottery.lock.kind"))));
        Assert.Equal(["read", "read", "write", "write"], telemetry.InScope("pottery.lock.acquire.duration").Select(m => m.Tag("pottery.lock.kind")));
        var contended = Assert.Single(telemetry.InScope("pottery.lock.contended"));
        Assert.Equal(("timeout", "write"), (contended.Tag("pottery.lock.outcome"), contended.Tag("pottery.lock.kind")));
        Assert.Equal(
            [("read", "acquired"), ("read", "acquired"), ("write", "timeout"), ("write", "acquired")],
            telemetry.Spans("pottery.lock.acquire", "pottery.lock.name", name).Select(s => (s.GetTagItem("pottery.lock.kind"), s.GetTagItem("pottery.lock.outcome"))));
    }

    [Fact]
    public async Task A_lock_acquisition_is_of_kind_lock()
    {
        var name = Name("lock");
        using var telemetry = new TelemetryCollector();

        await using (await new Redlock(name, redis.Database).AcquireAsync())
        {
        }

        Assert.Equal("lock", Assert.Single(telemetry.InScope("pottery.lock.acquisitions")).Tag("pottery.lock.kind"));
        Assert.Equal("lock", Assert.Single(telemetry.Spans("pottery.lock.acquire", "pottery.lock.name", name)).GetTagItem("pottery.lock.kind"));
    }
}

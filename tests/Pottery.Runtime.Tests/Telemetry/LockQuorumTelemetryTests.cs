using System.Diagnostics;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

public sealed class LockQuorumTelemetryTests(RedisMastersFixture masters) : IClassFixture<RedisMastersFixture>
{
    [Fact]
    public async Task An_acquisition_that_cannot_reach_a_quorum_counts_a_quorum_failure_and_fails_its_span()
    {
        var name = TestKeys.Unique("lock").ToString();
        var redlock = new Redlock(name, masters.Databases, autoReleaseTime: TimeSpan.FromMilliseconds(200));
        using var telemetry = new TelemetryCollector();

        using (masters.Masters.Pause(0, 1, 2))
        {
            await Assert.ThrowsAsync<QuorumIsImpossibleException>(async () => await redlock.TryAcquireAsync());
        }

        var failure = Assert.Single(telemetry.InScope("pottery.lock.quorum.failures"));
        Assert.Equal(("{failure}", 1d, "acquire"), (failure.Unit, failure.Value, failure.Tag("pottery.lock.operation")));
        Assert.Equal("quorum_impossible", Assert.Single(telemetry.InScope("pottery.lock.acquisitions")).Tag("pottery.lock.outcome"));
        var span = Assert.Single(telemetry.Spans("pottery.lock.acquire", "pottery.lock.name", name));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(QuorumIsImpossibleException).FullName, span.GetTagItem("error.type"));
        Assert.Equal("quorum_impossible", span.GetTagItem("pottery.lock.outcome"));
    }
}

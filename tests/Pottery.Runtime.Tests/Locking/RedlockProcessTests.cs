using System.Diagnostics;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>Locks shared with a separate OS process, as between services.</summary>
public sealed class RedlockProcessTests(RedisMastersFixture masters) : IClassFixture<RedisMastersFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Fifteen_tasks_and_another_process_never_overlap(int masterCount)
    {
        var name = TestKeys.Unique("lock").ToString();
        var counter = TestKeys.Unique("counter");
        var databases = masters.Databases.Take(masterCount).ToArray();
        var endpoints = string.Join(',', masters.Masters.Servers.Take(masterCount).Select(s => s.Endpoint));
        using var process = LockWorkerProcess.Start("count", name, counter.ToString(), "200", endpoints);

        await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => Task.Run(async () =>
        {
            var redlock = new Redlock(name, databases);
            for (var i = 0; i < 200; i++)
            {
                await using (await redlock.AcquireAsync())
                {
                    var value = (long)await databases[0].StringGetAsync(counter);
                    await databases[0].StringSetAsync(counter, value + 1);
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal("DONE", await process.FirstLine.WaitAsync(TimeSpan.FromMinutes(3)));
        Assert.Equal(3_200, (long)await databases[0].StringGetAsync(counter));
    }

    [Fact]
    public async Task A_crashed_holders_lock_frees_itself_after_the_auto_release_time_and_not_before()
    {
        var name = TestKeys.Unique("lock").ToString();
        var endpoints = string.Join(',', masters.Masters.Servers.Take(3).Select(s => s.Endpoint));
        var other = new Redlock(name, masters.Databases.Take(3));
        using var process = LockWorkerProcess.Start("hold", name, "2000", endpoints);
        Assert.Equal("ACQUIRED", await process.FirstLine.WaitAsync(TimeSpan.FromMinutes(1)));

        process.Kill();
        var remaining = await other.HeldForAsync();
        var killedAt = Stopwatch.GetTimestamp();

        Assert.True(remaining > TimeSpan.Zero, "the dead holder's lock outlives it until it expires");
        Assert.Null(await other.TryAcquireAsync());
        var held = await other.AcquireAsync(TimeSpan.FromSeconds(20));
        var waited = Stopwatch.GetElapsedTime(killedAt);
        Assert.True(waited >= remaining - TimeSpan.FromMilliseconds(20), $"granted after {waited.TotalMilliseconds} ms, but the masters said {remaining.TotalMilliseconds} ms were left");
        await held.ReleaseAsync();
    }
}

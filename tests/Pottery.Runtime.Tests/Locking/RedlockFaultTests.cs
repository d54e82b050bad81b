using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>Faults on real masters; each test starts its own, since it kills or pauses them.</summary>
public sealed class RedlockFaultTests
{
    [Fact]
    public async Task With_two_of_five_masters_killed_mid_run_no_update_is_lost()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        var name = TestKeys.Unique("lock").ToString();
        var counter = TestKeys.Unique("counter");
        var db = masters.Databases[0];
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = 0;

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var redlock = new Redlock(name, masters.Databases);
            for (var i = 0; i < 100; i++)
            {
                await using (await redlock.LockAsync())
                {
                    var value = (long)await db.StringGetAsync(counter);
                    await db.StringSetAsync(counter, value + 1);
                }

                if (Interlocked.Increment(ref done) == 400)
                {
                    halfway.SetResult();
                }
            }
        })).ToArray();
        await halfway.Task.WaitAsync(TimeSpan.FromMinutes(2));
        masters.Servers[3].Kill();
        masters.Servers[4].Kill();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(800, (long)await db.StringGetAsync(counter));
    }

    [Fact]
    public async Task With_three_of_five_masters_down_acquiring_fails_with_QuorumIsImpossibleException()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        using var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases);
        masters.Servers[0].Kill();
        masters.Servers[2].Kill();
        masters.Servers[4].Kill();

        var error = await Assert.ThrowsAsync<QuorumIsImpossibleException>(() => redlock.AcquireAsync(timeout: TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("3 of 5 masters failed", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<QuorumIsImpossibleException>(() => redlock.LockAsync());
    }

    [Fact]
    public async Task Time_spent_waiting_for_a_paused_master_is_subtracted_from_validity()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        var name = TestKeys.Unique("lock").ToString();
        using var shortLock = new Redlock(name, masters.Databases, autoReleaseTime: TimeSpan.FromSeconds(1));
        using var longLock = new Redlock(name, masters.Databases, autoReleaseTime: TimeSpan.FromSeconds(30));
        using var rival = new Redlock(name, masters.Databases);
        masters.Servers[2].Pause();
        try
        {
            // The paused master answers nothing for a whole second: nothing of the 1 s validity is left.
            Assert.False(await shortLock.AcquireAsync(blocking: false));
            Assert.Equal(System.TimeSpan.Zero, await rival.HeldForAsync());

            // With 30 s the two live masters suffice, but the wait (the client's 5 s timeout) is gone from the validity.
            Assert.True(await longLock.AcquireAsync(blocking: false));
            var validity = await longLock.LockedAsync();
            Assert.InRange(validity, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(26));

            // No double grant while it is held.
            Assert.False(await rival.AcquireAsync(blocking: false));
        }
        finally
        {
            masters.Servers[2].Resume();
        }
    }

    [Fact]
    public async Task A_master_too_slow_to_answer_within_the_auto_release_time_fails_the_try_not_the_quorum()
    {
        // A slow master (here paused) is not a failed one: the try fails and may be retried.
        await using var masters = await RedisMasters.StartAsync(1);
        using var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases, autoReleaseTime: TimeSpan.FromMilliseconds(200));
        masters.Servers[0].Pause();
        try
        {
            Assert.False(await redlock.AcquireAsync(blocking: false));
        }
        finally
        {
            masters.Servers[0].Resume();
        }

        Assert.True(await redlock.AcquireAsync(timeout: TimeSpan.FromSeconds(30)));
    }
}

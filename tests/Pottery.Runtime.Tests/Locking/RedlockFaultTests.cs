using Pottery.Testing.Redis;
using StackExchange.Redis;

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
            var redlock = new Redlock(name, masters.Databases);
            for (var i = 0; i < 100; i++)
            {
                await using (await redlock.AcquireAsync())
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
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases);
        masters.Servers[0].Kill();
        masters.Servers[2].Kill();
        masters.Servers[4].Kill();

        var error = await Assert.ThrowsAsync<QuorumIsImpossibleException>(() => redlock.TryAcquireAsync(TimeSpan.FromSeconds(30)).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("3 of 5 masters failed", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<QuorumIsImpossibleException>(async () => await redlock.AcquireAsync());
    }

    [Fact]
    public async Task Time_spent_waiting_for_a_paused_master_is_subtracted_from_validity()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        var name = TestKeys.Unique("lock").ToString();
        var shortLock = new Redlock(name, masters.Databases, autoReleaseTime: TimeSpan.FromSeconds(1));
        var longLock = new Redlock(name, masters.Databases, autoReleaseTime: TimeSpan.FromSeconds(30));
        await using var elsewhere = await SeparateConnections.ToAsync(masters.Servers);
        var rival = new Redlock(name, elsewhere.Databases);
        using (masters.Pause(1, 2))
        {
            // The quorum needs a paused master, which answers nothing for a whole second: nothing of the
            // 1 s validity is left, and too few masters answered for anyone to be said to hold it.
            await Assert.ThrowsAsync<QuorumIsImpossibleException>(async () => await shortLock.TryAcquireAsync());

            // With 30 s the acquisition completes when one master comes back, 3 s later, and those 3 s are gone from the validity.
            var resumed = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => masters.Servers[1].Resume(), TaskScheduler.Default);
            var held = await longLock.TryAcquireAsync();
            Assert.NotNull(held);
            await resumed;
            Assert.InRange(await held.HeldForAsync(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(27));

            // No double grant while it is held.
            Assert.Null(await rival.TryAcquireAsync());
        }
    }

    [Fact]
    public async Task An_acquire_that_two_of_five_masters_are_too_slow_for_does_not_wait_for_them()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        var name = TestKeys.Unique("lock").ToString();
        var redlock = new Redlock(name, masters.Databases, autoReleaseTime: TimeSpan.FromSeconds(3));
        using (masters.Pause(3, 4))
        {
            // Waiting for them would take the client's whole 5 s command timeout, past this test's limit.
            var held = await redlock.TryAcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(4));
            Assert.NotNull(held);
            await held.ReleaseAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(4));
        }

        foreach (var master in masters.Databases.Take(3))
        {
            Assert.False(await master.KeyExistsAsync(redlock.Key));
        }

        // The paused masters granted once they came back; the release's script had never reached
        // them and answered NOSCRIPT after its round was decided, so they sat it out, as if down,
        // and let the key expire.
        foreach (var master in masters.Databases.Skip(3))
        {
            Assert.True(await Eventually.SucceedsAsync(async () => await master.KeyExistsAsync(redlock.Key) ? throw new InvalidOperationException("still held") : true, TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task Masters_that_lost_the_script_and_answer_after_the_quorum_get_it_loaded()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases);
        var held = await redlock.TryAcquireAsync();
        Assert.NotNull(held);
        await Task.WhenAll(masters.Connections.Select(c => c.GetServers()[0].ScriptFlushAsync()));
        using (masters.Pause(3, 4))
        {
            // The masters know no script: the three live ones are sent it in full and decide the round.
            await held.ExtendAsync();
        }

        // The late two answered NOSCRIPT after the decision: they took no part, but know the script now.
        foreach (var late in masters.Connections.Skip(3))
        {
            var loaded = await Eventually.SucceedsAsync(async () => await late.GetServers()[0].ScriptExistsAsync(RedlockScripts.Extend.Hash.ToArray()) ? true : throw new InvalidOperationException("not loaded yet"), TimeSpan.FromSeconds(30));
            Assert.True(loaded);
        }

        await held.ReleaseAsync();
    }

    [Fact]
    public async Task Undoing_a_failed_try_does_not_announce_a_release()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        var name = TestKeys.Unique("lock").ToString();
        var contender = new Redlock(name, masters.Databases);
        var channel = RedisChannel.Literal($"redlock:{name}:released");
        var heard = new List<string>();
        var end = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = masters.Connections[4].GetSubscriber();
        await subscriber.SubscribeAsync(channel, (_, message) =>
        {
            if (message == "end")
            {
                end.TrySetResult();
            }
            else
            {
                lock (heard)
                {
                    heard.Add(message.ToString());
                }
            }
        });

        // Someone else holds three masters; the contender gets the other two, and must give them back.
        foreach (var held in masters.Databases.Take(3))
        {
            await held.StringSetAsync(contender.Key, "someone else", TimeSpan.FromMinutes(1));
        }

        Assert.Null(await contender.TryAcquireAsync());
        var lastMaster = masters.Databases[4];
        Assert.False(await lastMaster.KeyExistsAsync(contender.Key));

        // Announcements from one server arrive in the order it made them: anything the undo published comes before this.
        await lastMaster.PublishAsync(channel, "end");
        await end.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(heard);
    }

    [Fact]
    public async Task An_acquire_cancelled_while_masters_are_answering_is_undone_on_them()
    {
        await using var masters = await RedisMasters.StartAsync(1);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases);
        using var cancel = new CancellationTokenSource();
        using (masters.Pause(0))
        {
            var acquiring = redlock.AcquireAsync(cancellationToken: cancel.Token).AsTask();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acquiring);
        }

        // The master ran the acquisition when it woke, then its undo, which came after it on the connection.
        Assert.False(await masters.Databases[0].KeyExistsAsync(redlock.Key));
    }

    [Fact]
    public async Task A_master_too_slow_to_answer_within_the_auto_release_time_makes_a_single_try_say_the_quorum_was_impossible_for_that_call_only()
    {
        // A slow master (here paused) is not a failed one: a try that waits for it may be retried,
        // but a single try reports it rather than "someone else holds it".
        await using var masters = await RedisMasters.StartAsync(1);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases, autoReleaseTime: TimeSpan.FromMilliseconds(200));
        using (masters.Pause(0))
        {
            var error = await Assert.ThrowsAsync<QuorumIsImpossibleException>(async () => await redlock.TryAcquireAsync());
            Assert.Contains("1 of 1 masters did not answer", error.Message, StringComparison.Ordinal);
        }

        Assert.NotNull(await redlock.TryAcquireAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_master_silent_past_the_clients_timeout_ends_a_single_try_saying_the_quorum_was_impossible_for_that_call_only()
    {
        // The client fails the paused master's commands with a timeout after 0.5 s, long before the
        // 60 s auto-release time: that ends the try, which says why; the lock is not broken for good.
        await using var masters = await RedisMasters.StartAsync(1);
        await using var impatient = await masters.Servers[0].ConnectAsync(options => options.AsyncTimeout = 500);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), impatient.GetDatabase(), autoReleaseTime: TimeSpan.FromSeconds(60));
        using (masters.Pause(0))
        {
            var error = await Assert.ThrowsAsync<QuorumIsImpossibleException>(() => redlock.TryAcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.IsType<RedisTimeoutException>(error.InnerException);
        }

        Assert.NotNull(await redlock.TryAcquireAsync(TimeSpan.FromSeconds(30)));
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

public sealed class RedlockTests(RedisMastersFixture masters) : IClassFixture<RedisMastersFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly IReadOnlyList<IDatabase> _five = masters.Databases;

    private static string Name() => TestKeys.Unique("lock").ToString();

    [Fact]
    public async Task Acquire_and_release_use_pottery_keys_on_a_quorum()
    {
        var name = Name();
        using var redlock = new Redlock(name, _five);

        Assert.True(await redlock.AcquireAsync());

        // A master whose reply comes after the quorum's may have been one that had not seen the script yet.
        var holders = (await Task.WhenAll(_five.Select(db => db.StringGetAsync("redlock:" + name)))).Where(h => !h.IsNull).ToArray();
        Assert.InRange(holders.Length, redlock.Quorum, _five.Count);
        Assert.Single(holders.Distinct());
        Assert.True(redlock.Locked() > TimeSpan.FromSeconds(5), "a fresh 10 s lock has most of its validity left");
        await redlock.ReleaseAsync();
        Assert.Equal(TimeSpan.Zero, await redlock.LockedAsync());
        Assert.All(await Task.WhenAll(_five.Select(db => db.KeyExistsAsync("redlock:" + name))), Assert.False);
    }

    [Fact]
    public async Task Disposing_an_expired_handle_does_not_release_a_later_acquisition_of_the_same_lock()
    {
        var name = Name();
        var autoRelease = TimeSpan.FromMilliseconds(300);
        using var redlock = new Redlock(name, _five, autoReleaseTime: autoRelease);
        using var rival = new Redlock(name, _five);

        // On a loaded machine the second acquisition may expire on its own before the rival tries;
        // such a round proves nothing and is run again.
        for (var round = 0; round < 10; round++)
        {
            var first = await redlock.LockAsync();
            await Eventually.SucceedsAsync(
                async () => (await Task.WhenAll(_five.Select(db => db.KeyExistsAsync("redlock:" + name)))).Any(exists => exists) ? throw new InvalidOperationException("not expired yet") : true,
                Deadline);

            var secondStart = System.Diagnostics.Stopwatch.GetTimestamp();
            var second = await redlock.LockAsync();
            first.Dispose();
            var rivalGotIt = await rival.AcquireAsync(blocking: false);
            var secondStillValid = System.Diagnostics.Stopwatch.GetElapsedTime(secondStart) < autoRelease * 0.99 - TimeSpan.FromMilliseconds(2);
            if (rivalGotIt)
            {
                await rival.ReleaseAsync();
            }

            second.Dispose();
            if (secondStillValid)
            {
                Assert.False(rivalGotIt, "disposing the expired first handle released the second acquisition");
                return;
            }
        }

        Assert.Fail("the machine was too slow to check within the second acquisition's validity");
    }

    [Fact]
    public async Task Non_blocking_and_timed_acquires_fail_while_another_holds_it()
    {
        var name = Name();
        using var holder = new Redlock(name, _five);
        using var other = new Redlock(name, _five);
        Assert.True(holder.Acquire());

        Assert.False(other.Acquire(blocking: false));
        Assert.False(await other.AcquireAsync(timeout: TimeSpan.FromMilliseconds(300)));
        Assert.Throws<ArgumentException>(() => other.Acquire(blocking: false, timeout: TimeSpan.FromSeconds(1)));
        Assert.True(await other.HeldForAsync() > TimeSpan.Zero);

        holder.Release();
        Assert.True(other.Acquire(blocking: false));
        other.Release();
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_promptly_when_the_holder_releases()
    {
        var name = Name();
        using var holder = new Redlock(name, _five);
        using var waiter = new Redlock(name, _five) { RetryDelay = TimeSpan.FromSeconds(30) };
        Assert.True(await holder.AcquireAsync());

        var waiting = waiter.AcquireAsync();
        Assert.False(waiting.IsCompleted);
        await holder.ReleaseAsync();

        // With a 30 s random retry, only the release announcement can make this finish in time.
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await waiter.ReleaseAsync();
    }

    [Fact]
    public async Task Extensions_are_limited_and_need_the_lock()
    {
        var name = Name();
        using var redlock = new Redlock(name, _five, numExtensions: 2);

        await Assert.ThrowsAsync<ExtendUnlockedLockException>(() => redlock.ExtendAsync());
        Assert.Throws<ReleaseUnlockedLockException>(() => redlock.Release());

        Assert.True(redlock.Acquire());
        redlock.Extend();
        await redlock.ExtendAsync();
        var error = Assert.Throws<TooManyExtensionsException>(() => redlock.Extend());
        Assert.IsAssignableFrom<PrimitiveException>(error);
        redlock.Release();
        Assert.Throws<ReleaseUnlockedLockException>(() => redlock.Release());
    }


    [Fact]
    public async Task Masters_that_forgot_the_scripts_get_them_again()
    {
        var name = Name();
        using var redlock = new Redlock(name, _five);
        await FlushScriptsAsync();

        await using (var handle = await redlock.LockAsync())
        {
            await FlushScriptsAsync();
            Assert.True(await redlock.LockedAsync() > TimeSpan.Zero);
            await FlushScriptsAsync();
            await redlock.ExtendAsync();
        }

        await FlushScriptsAsync();
        Assert.True(await redlock.AcquireAsync(blocking: false));
        await FlushScriptsAsync();
        await redlock.ReleaseAsync();
        Assert.Equal(TimeSpan.Zero, await redlock.HeldForAsync());
    }

    private Task FlushScriptsAsync() =>
        Task.WhenAll(_five.Select(db => db.Multiplexer.GetServers()[0].ScriptFlushAsync()));
    [Fact]
    public async Task Scopes_release_on_dispose_and_throw_when_they_cannot_acquire()
    {
        var name = Name();
        using var redlock = new Redlock(name, _five);
        using var impatient = new Redlock(name, _five) { ScopeBlocking = false };

        await using (var handle = await redlock.LockAsync())
        {
            Assert.True(handle.FencingToken > 0);
            Assert.False(handle.LostToken.IsCancellationRequested);
            await Assert.ThrowsAsync<QuorumNotAchievedException>(async () => await impatient.LockAsync());
        }

        using (impatient.Lock())
        {
            Assert.True(impatient.Locked() > TimeSpan.Zero);
        }

        Assert.Equal(TimeSpan.Zero, await redlock.HeldForAsync());
    }

    [Fact]
    public async Task Fencing_tokens_increase_with_every_acquisition()
    {
        var name = Name();
        using var a = new Redlock(name, _five);
        using var b = new Redlock(name, _five);
        var tokens = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var redlock = i % 2 == 0 ? a : b;
            await using var handle = await redlock.LockAsync();
            tokens.Add(handle.FencingToken);
        }

        Assert.Equal(tokens.Order(), tokens);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public async Task Fencing_tokens_increase_when_each_acquisition_gets_a_different_quorum()
    {
        // Quorums {A,B}, {B,C}, {A,C} of three masters: each master counts only some acquisitions,
        // so the third would repeat the second's count unless the second lifted the laggards.
        var name = Name();
        var three = _five.Take(3).ToArray();
        using var redlock = new Redlock(name, three);
        var tokens = new List<long>();
        foreach (var excluded in new[] { 2, 0, 1 })
        {
            await three[excluded].StringSetAsync("redlock:" + name, "someone else");
            Assert.True(await redlock.AcquireAsync(blocking: false));
            tokens.Add(redlock.FencingToken);
            await redlock.ReleaseAsync();
            await three[excluded].KeyDeleteAsync("redlock:" + name);
        }

        Assert.True(tokens[0] < tokens[1] && tokens[1] < tokens[2], $"tokens {string.Join(", ", tokens)} must strictly increase");
    }

    [Fact]
    public async Task Another_instance_on_other_connections_releases_with_the_holder_s_token()
    {
        var name = Name();
        using var holder = new Redlock(name, _five);
        var connections = await Task.WhenAll(masters.Masters.Servers.Select(server => server.ConnectAsync()));
        try
        {
            using var elsewhere = new Redlock(name, connections.Select(c => c.GetDatabase()));
            Assert.Null(holder.Token);
            Assert.True(await holder.AcquireAsync());
            var token = holder.Token!;

            await Assert.ThrowsAsync<ReleaseUnlockedLockException>(() => elsewhere.ReleaseAsync("not the token"));
            Assert.True(await elsewhere.HeldForAsync() > TimeSpan.Zero);
            await elsewhere.ReleaseAsync(token);

            Assert.Equal(TimeSpan.Zero, await elsewhere.HeldForAsync());
            Assert.True(await elsewhere.AcquireAsync(blocking: false));
            await Assert.ThrowsAsync<ReleaseUnlockedLockException>(() => holder.ReleaseAsync(token));
            Assert.True(await elsewhere.HeldForAsync() > TimeSpan.Zero, "a stale token must not release the new holder's lock");
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TryLock_gives_a_handle_or_null()
    {
        var name = Name();
        using var holder = new Redlock(name, _five);
        using var other = new Redlock(name, _five);

        await using (var held = await holder.TryLockAsync())
        {
            Assert.NotNull(held);
            Assert.Null(await other.TryLockAsync());
            Assert.Null(await other.TryLockAsync(blocking: true, timeout: TimeSpan.FromMilliseconds(200)));
        }

        await using var next = await other.TryLockAsync(blocking: true, timeout: TimeSpan.FromSeconds(30));
        Assert.NotNull(next);
        Assert.True(next.FencingToken > 0);
    }

    [Fact]
    public async Task An_expired_holder_cannot_release_or_extend_the_next_holders_lock()
    {
        var name = Name();
        using var first = new Redlock(name, _five, autoReleaseTime: TimeSpan.FromMilliseconds(300));
        using var second = new Redlock(name, _five);
        Assert.True(await first.AcquireAsync());

        Assert.True(await second.AcquireAsync(timeout: TimeSpan.FromSeconds(10)));

        Assert.Equal(TimeSpan.Zero, await first.LockedAsync());
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(() => first.ReleaseAsync());
        await Assert.ThrowsAsync<ExtendUnlockedLockException>(() => first.ExtendAsync());
        Assert.True(await second.LockedAsync() > TimeSpan.Zero);
        await second.ReleaseAsync();
    }

    [Fact]
    public async Task Cancellation_stops_a_waiting_acquire()
    {
        var name = Name();
        using var holder = new Redlock(name, _five);
        using var waiter = new Redlock(name, _five);
        Assert.True(await holder.AcquireAsync());
        using var cancel = new CancellationTokenSource();

        var waiting = waiter.AcquireAsync(cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await holder.ReleaseAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Sixteen_workers_never_overlap_in_the_critical_section(int masterCount)
    {
        var name = Name();
        var counter = TestKeys.Unique("counter");
        var db = _five[0];
        var databases = _five.Take(masterCount).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var redlock = new Redlock(name, databases);
            for (var i = 0; i < 200; i++)
            {
                await using (await redlock.LockAsync())
                {
                    // Deliberately not atomic: only the lock keeps increments from being lost.
                    var value = (long)await db.StringGetAsync(counter);
                    await db.StringSetAsync(counter, value + 1);
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(3_200, (long)await db.StringGetAsync(counter));
    }

    [Fact]
    public async Task The_watchdog_keeps_a_held_lock_alive_past_its_auto_release_time()
    {
        var name = Name();
        // A renewal comes every third of the auto-release time; 1 s leaves a loaded CI machine
        // (test assemblies and an AOT publish sharing 2 cores) 600 ms of slack per renewal.
        using var holder = new Redlock(name, _five, autoReleaseTime: TimeSpan.FromSeconds(1)) { AutoExtend = true };
        using var rival = new Redlock(name, _five);

        await using (var handle = await holder.LockAsync())
        {
            // Hold for three auto-release times; without renewal the rival would get it.
            Assert.False(await rival.AcquireAsync(timeout: TimeSpan.FromSeconds(3)));
            Assert.False(handle.LostToken.IsCancellationRequested);
        }

        Assert.True(await rival.AcquireAsync(timeout: TimeSpan.FromSeconds(10)));
        await rival.ReleaseAsync();
    }

    [Fact]
    public async Task The_lost_token_fires_when_the_validity_runs_out_whether_read_before_or_after()
    {
        using var early = new Redlock(Name(), _five, autoReleaseTime: TimeSpan.FromMilliseconds(300));
        using var late = new Redlock(Name(), _five, autoReleaseTime: TimeSpan.FromMilliseconds(300));
        await using var watched = await early.LockAsync();
        await using var unwatched = await late.LockAsync();
        var lost = new TaskCompletionSource();
        using var registration = watched.LostToken.Register(lost.SetResult);

        await lost.Task.WaitAsync(Deadline);
        await Eventually.SucceedsAsync(
            async () =>
            {
                Assert.Equal(TimeSpan.Zero, await late.LockedAsync());
                return true;
            },
            Deadline);

        // Read only now, after the validity ran out: already cancelled.
        Assert.True(unwatched.LostToken.IsCancellationRequested);
        Assert.True(watched.LostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_disposed_handle_has_no_lost_token()
    {
        using var redlock = new Redlock(Name(), _five);
        var handle = await redlock.LockAsync();
        await handle.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => handle.LostToken);
    }

    [Fact]
    public async Task A_watchdog_that_cannot_renew_fires_the_lost_token()
    {
        await using var three = await RedisMasters.StartAsync(3);
        using var holder = new Redlock(Name(), three.Databases, autoReleaseTime: TimeSpan.FromMilliseconds(600)) { AutoExtend = true };
        await using var handle = await holder.LockAsync();
        var lost = new TaskCompletionSource();
        using var registration = handle.LostToken.Register(lost.SetResult);

        three.Servers[0].Kill();
        three.Servers[1].Kill();

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

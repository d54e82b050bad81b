using System.Diagnostics;
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
        var redlock = new Redlock(name, _five);

        var handle = await redlock.AcquireAsync();

        // A master whose reply comes after the quorum's may have been one that had not seen the script yet.
        var holders = (await Task.WhenAll(_five.Select(db => db.StringGetAsync("redlock:" + name)))).Where(h => !h.IsNull).ToArray();
        Assert.InRange(holders.Length, redlock.Quorum, _five.Count);
        Assert.Equal(handle.Token, Assert.Single(holders.Distinct()));
        Assert.True(handle.HeldFor() > TimeSpan.FromSeconds(5), "a fresh 10 s lock has most of its validity left");
        await handle.ReleaseAsync();
        Assert.Equal(TimeSpan.Zero, await handle.HeldForAsync());
        Assert.All(await Task.WhenAll(_five.Select(db => db.KeyExistsAsync("redlock:" + name))), Assert.False);
    }

    [Fact]
    public async Task Disposing_an_expired_handle_does_not_release_a_later_acquisition_of_the_same_lock()
    {
        var name = Name();
        var autoRelease = TimeSpan.FromMilliseconds(300);
        var redlock = new Redlock(name, _five, autoReleaseTime: autoRelease);

        // Elsewhere, so that only the masters can keep it out: in this process it would wait in line behind the holder.
        await using var elsewhere = await SeparateConnections.ToAsync(masters.Masters.Servers);
        var rival = new Redlock(name, elsewhere.Databases);

        // On a loaded machine the second acquisition may expire on its own before the rival tries;
        // such a round proves nothing and is run again.
        for (var round = 0; round < 10; round++)
        {
            var first = await redlock.AcquireAsync();
            await Eventually.SucceedsAsync(
                async () => (await Task.WhenAll(_five.Select(db => db.KeyExistsAsync("redlock:" + name)))).Any(exists => exists) ? throw new InvalidOperationException("not expired yet") : true,
                Deadline);

            var secondStart = Stopwatch.GetTimestamp();
            var second = await redlock.AcquireAsync();
            first.Dispose();
            var rivals = await rival.TryAcquireAsync();
            var secondStillValid = Stopwatch.GetElapsedTime(secondStart) < autoRelease * 0.99 - TimeSpan.FromMilliseconds(2);
            rivals?.Dispose();
            second.Dispose();
            if (secondStillValid)
            {
                Assert.True(rivals is null, "disposing the expired first handle released the second acquisition");
                return;
            }
        }

        Assert.Fail("the machine was too slow to check within the second acquisition's validity");
    }

    [Fact]
    public async Task Single_and_timed_tries_fail_while_another_holds_it()
    {
        var name = Name();
        var holder = new Redlock(name, _five);
        var other = new Redlock(name, _five);
        var held = holder.Acquire();

        Assert.Null(other.TryAcquire());
        Assert.Null(await other.TryAcquireAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Throws<TimeoutException>(() => other.Acquire(TimeSpan.Zero));
        await Assert.ThrowsAsync<TimeoutException>(async () => await other.AcquireAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Throws<ArgumentOutOfRangeException>(() => other.TryAcquire(TimeSpan.FromSeconds(-2)));
        Assert.True(await other.HeldForAsync() > TimeSpan.Zero);
        Assert.True(other.HeldFor() > TimeSpan.Zero);

        held.Release();
        using var next = other.TryAcquire();
        Assert.NotNull(next);
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_promptly_when_the_holder_releases()
    {
        var name = Name();
        var holder = new Redlock(name, _five);
        var waiter = new Redlock(name, _five) { RetryDelay = TimeSpan.FromSeconds(30) };
        var held = await holder.AcquireAsync();

        var waiting = waiter.AcquireAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        await held.ReleaseAsync();

        // With a 30 s random retry, only the release announcement can make this finish in time.
        await (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).ReleaseAsync();
    }

    [Fact]
    public async Task Extensions_are_counted_per_acquisition_and_need_the_lock()
    {
        var redlock = new Redlock(Name(), _five, maxExtensions: 2);

        var handle = redlock.Acquire();
        handle.Extend();
        await handle.ExtendAsync();
        Assert.Equal(2, handle.Extensions);
        var error = Assert.Throws<TooManyExtensionsException>(() => handle.Extend());
        Assert.IsAssignableFrom<PrimitiveException>(error);
        Assert.Equal(2, handle.Extensions);
        handle.Release();
        Assert.Throws<ReleaseUnlockedLockException>(() => handle.Release());
        await Assert.ThrowsAsync<ExtendUnlockedLockException>(async () => await handle.ExtendAsync());

        // A new acquisition of the same description starts counting afresh.
        await using var next = await redlock.AcquireAsync();
        Assert.Equal(0, next.Extensions);
        await next.ExtendAsync();
    }

    [Fact]
    public async Task An_expired_acquisition_cannot_be_extended_even_when_it_has_no_extensions_left()
    {
        var redlock = new Redlock(Name(), _five, autoReleaseTime: TimeSpan.FromMilliseconds(300), maxExtensions: 0);
        var handle = await redlock.AcquireAsync();
        var lost = new TaskCompletionSource();
        using var registration = handle.LostToken.Register(lost.SetResult);
        await lost.Task.WaitAsync(Deadline);

        await Assert.ThrowsAsync<ExtendUnlockedLockException>(async () => await handle.ExtendAsync());
        Assert.Equal(TimeSpan.Zero, await handle.HeldForAsync());
    }

    [Fact]
    public async Task Masters_that_forgot_the_scripts_get_them_again()
    {
        var redlock = new Redlock(Name(), _five);
        await FlushScriptsAsync();

        await using (var handle = await redlock.AcquireAsync())
        {
            await FlushScriptsAsync();
            Assert.True(await handle.HeldForAsync() > TimeSpan.Zero);
            await FlushScriptsAsync();
            await handle.ExtendAsync();
        }

        await FlushScriptsAsync();
        var again = await redlock.TryAcquireAsync();
        Assert.NotNull(again);
        await FlushScriptsAsync();
        await again.ReleaseAsync();
        Assert.Equal(TimeSpan.Zero, await redlock.HeldForAsync());
    }

    [Fact]
    public async Task Scopes_release_on_dispose_and_a_single_try_throws_TimeoutException()
    {
        var name = Name();
        var redlock = new Redlock(name, _five);

        await using (var handle = await redlock.AcquireAsync())
        {
            Assert.Throws<InvalidOperationException>(() => handle.FencingToken);
            Assert.Same(redlock, handle.Lock);
            Assert.False(handle.LostToken.IsCancellationRequested);
            await Assert.ThrowsAsync<TimeoutException>(async () => await new Redlock(name, _five).AcquireAsync(TimeSpan.Zero));
        }

        using (var handle = new Redlock(name, _five).Acquire(TimeSpan.Zero))
        {
            Assert.True(handle.HeldFor() > TimeSpan.Zero);
        }

        Assert.Equal(TimeSpan.Zero, await redlock.HeldForAsync());
    }

    [Fact]
    public async Task Fencing_tokens_increase_with_every_acquisition()
    {
        var name = Name();
        var a = new Redlock(name, _five) { Fenced = true };
        var b = new Redlock(name, _five) { Fenced = true };
        var tokens = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var redlock = i % 2 == 0 ? a : b;
            await using var handle = await redlock.AcquireAsync();
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
        var redlock = new Redlock(name, three) { Fenced = true };
        var tokens = new List<long>();
        foreach (var excluded in new[] { 2, 0, 1 })
        {
            await three[excluded].StringSetAsync("redlock:" + name, "someone else");
            var handle = await redlock.TryAcquireAsync();
            Assert.NotNull(handle);
            tokens.Add(handle.FencingToken);
            await handle.ReleaseAsync();
            await three[excluded].KeyDeleteAsync("redlock:" + name);
        }

        Assert.True(tokens[0] < tokens[1] && tokens[1] < tokens[2], $"tokens {string.Join(", ", tokens)} must strictly increase");
    }

    [Fact]
    public async Task Another_process_releases_with_the_holders_token()
    {
        var name = Name();
        var holder = new Redlock(name, _five);
        var connections = await Task.WhenAll(masters.Masters.Servers.Select(server => server.ConnectAsync()));
        try
        {
            var elsewhere = new Redlock(name, connections.Select(c => c.GetDatabase()));
            var held = await holder.AcquireAsync();
            var token = held.Token;

            await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await elsewhere.ReleaseAsync("not the token"));
            Assert.True(await elsewhere.HeldForAsync() > TimeSpan.Zero);
            elsewhere.Release(token);

            Assert.Equal(TimeSpan.Zero, await elsewhere.HeldForAsync());
            await using var next = await elsewhere.TryAcquireAsync();
            Assert.NotNull(next);
            await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await holder.ReleaseAsync(token));
            await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await held.ReleaseAsync());
            held.Dispose();
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
    public async Task TryAcquire_gives_a_handle_or_null_and_can_wait_without_limit()
    {
        var name = Name();
        var holder = new Redlock(name, _five);
        var other = new Redlock(name, _five) { Fenced = true };

        await using (var held = await holder.TryAcquireAsync())
        {
            Assert.NotNull(held);
            Assert.Null(await other.TryAcquireAsync());
            Assert.Null(await other.TryAcquireAsync(TimeSpan.FromMilliseconds(200)));
        }

        await using var next = await other.TryAcquireAsync(Timeout.InfiniteTimeSpan);
        Assert.NotNull(next);
        Assert.True(next.FencingToken > 0);
    }

    [Fact]
    public async Task An_expired_holder_cannot_release_or_extend_the_next_holders_lock()
    {
        var name = Name();
        var first = new Redlock(name, _five, autoReleaseTime: TimeSpan.FromMilliseconds(300));
        var second = new Redlock(name, _five);
        var expired = await first.AcquireAsync();

        var current = await second.AcquireAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.Zero, await expired.HeldForAsync());
        await Assert.ThrowsAsync<ExtendUnlockedLockException>(async () => await expired.ExtendAsync());
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await expired.ReleaseAsync());
        Assert.True(await current.HeldForAsync() > TimeSpan.Zero);
        await current.ReleaseAsync();
    }

    [Fact]
    public async Task Cancellation_stops_a_waiting_acquire()
    {
        var name = Name();
        var holder = await new Redlock(name, _five).AcquireAsync();
        var waiter = new Redlock(name, _five);
        using var cancel = new CancellationTokenSource();

        var waiting = waiter.AcquireAsync(cancellationToken: cancel.Token).AsTask();
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
        var redlock = new Redlock(name, _five.Take(masterCount));

        // One description shared by every worker: each acquisition is its own handle.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await using (await redlock.AcquireAsync())
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
        var holder = new Redlock(name, _five, autoReleaseTime: TimeSpan.FromSeconds(1)) { AutoExtend = true };
        await using var elsewhere = await SeparateConnections.ToAsync(masters.Masters.Servers);
        var rival = new Redlock(name, elsewhere.Databases);

        await using (var handle = await holder.AcquireAsync())
        {
            // Hold for three auto-release times; without renewal the rival would get it.
            Assert.Null(await rival.TryAcquireAsync(TimeSpan.FromSeconds(3)));
            Assert.False(handle.LostToken.IsCancellationRequested);
            Assert.Equal(0, handle.Extensions);
        }

        await (await rival.AcquireAsync(TimeSpan.FromSeconds(10))).ReleaseAsync();
    }

    [Fact]
    public async Task The_lost_token_fires_when_the_validity_runs_out_whether_read_before_or_after()
    {
        var early = new Redlock(Name(), _five, autoReleaseTime: TimeSpan.FromMilliseconds(300));
        var late = new Redlock(Name(), _five, autoReleaseTime: TimeSpan.FromMilliseconds(300));
        await using var watched = await early.AcquireAsync();
        await using var unwatched = await late.AcquireAsync();
        var lost = new TaskCompletionSource();
        using var registration = watched.LostToken.Register(lost.SetResult);

        await lost.Task.WaitAsync(Deadline);
        await Eventually.SucceedsAsync(
            async () =>
            {
                Assert.Equal(TimeSpan.Zero, await unwatched.HeldForAsync());
                return true;
            },
            Deadline);

        // Read only now, after the validity ran out: already cancelled.
        Assert.True(unwatched.LostToken.IsCancellationRequested);
        Assert.True(watched.LostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_disposed_handle_has_no_lost_token_and_holds_nothing()
    {
        var handle = await new Redlock(Name(), _five).AcquireAsync();
        await handle.DisposeAsync();
        handle.Dispose();

        Assert.Throws<ObjectDisposedException>(() => handle.LostToken);
        Assert.Equal(TimeSpan.Zero, handle.HeldFor());
        Assert.Throws<ReleaseUnlockedLockException>(() => handle.Release());
    }

    [Fact]
    public async Task A_watchdog_that_cannot_renew_fires_the_lost_token()
    {
        await using var three = await RedisMasters.StartAsync(3);
        var holder = new Redlock(Name(), three.Databases, autoReleaseTime: TimeSpan.FromMilliseconds(600)) { AutoExtend = true };
        await using var handle = await holder.AcquireAsync();
        var lost = new TaskCompletionSource();
        using var registration = handle.LostToken.Register(lost.SetResult);

        three.Servers[0].Kill();
        three.Servers[1].Kill();

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Auto_release_times_within_the_drift_allowance_are_rejected(int milliseconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Redlock(Name(), _five, autoReleaseTime: TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal("autoReleaseTime", error.ParamName);
    }

    [Fact]
    public void Durations_that_can_never_be_valid_are_rejected_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redlock(Name(), _five, autoReleaseTime: Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redlock(Name(), _five, autoReleaseTime: TimeSpan.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redlock(Name(), _five, maxExtensions: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redlock(Name(), _five) { RetryDelay = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redlock(Name(), _five) { RetryDelay = Timeout.InfiniteTimeSpan });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redlock(Name(), _five) { RetryDelay = TimeSpan.MaxValue });
        Assert.Equal(TimeSpan.FromMilliseconds(3), new Redlock(Name(), _five, autoReleaseTime: TimeSpan.FromMilliseconds(3)).AutoReleaseTime);
    }

    [Fact]
    public void A_null_master_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new Redlock(Name(), [_five[0], null!]));
        Assert.Equal("masters", error.ParamName);
    }

    [Fact]
    public async Task A_fencing_counter_of_another_type_is_a_WrongTypeException_naming_it()
    {
        var redlock = new Redlock(Name(), _five) { Fenced = true };
        var fence = redlock.Keys[1];
        foreach (var master in _five)
        {
            await master.HashSetAsync(fence, "not", "a counter");
        }

        var error = await Assert.ThrowsAsync<WrongTypeException>(async () => await redlock.TryAcquireAsync());
        Assert.Equal(fence.ToString(), error.Key);
        Assert.Equal("hash", error.ActualType);
        Assert.Contains("fence", error.Message, StringComparison.Ordinal);

        // The try was undone: the lock itself is free.
        Assert.All(await Task.WhenAll(_five.Select(db => db.KeyExistsAsync(redlock.Key))), Assert.False);
    }

    private Task FlushScriptsAsync() =>
        Task.WhenAll(_five.Select(db => db.Multiplexer.GetServers()[0].ScriptFlushAsync()));
}

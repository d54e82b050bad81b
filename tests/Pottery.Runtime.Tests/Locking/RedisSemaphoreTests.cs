using System.Diagnostics;
using System.Globalization;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

public abstract class RedisSemaphoreTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Acquire_extend_release_and_count_the_available_permits()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, permits: 2);
        Assert.Equal(2, await semaphore.AvailableCountAsync());

        var first = await semaphore.AcquireAsync(TimeSpan.Zero);
        var second = semaphore.Acquire();
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(0, semaphore.AvailableCount());
        Assert.Equal(2, await _db.SortedSetLengthAsync(semaphore.Key));
        Assert.Null(await semaphore.TryAcquireAsync());
        Assert.Null(semaphore.TryAcquire(TimeSpan.FromMilliseconds(50)));
        await Assert.ThrowsAsync<TimeoutException>(async () => await semaphore.AcquireAsync(TimeSpan.Zero));

        await first.ExtendAsync();
        second.Extend();
        Assert.True(first.ValidFor > TimeSpan.Zero);
        await first.ReleaseAsync();
        Assert.Equal(1, await semaphore.AvailableCountAsync());
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await first.ReleaseAsync());
        await Assert.ThrowsAsync<ExtendUnlockedLockException>(async () => await first.ExtendAsync());
        Assert.Throws<ObjectDisposedException>(() => first.LostToken);

        second.Release();
        Assert.Equal(2, await semaphore.AvailableCountAsync());
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task Never_more_holders_than_permits_among_many_tasks()
    {
        var name = TestKeys.Unique("sem").ToString();
        var holders = TestKeys.Unique("holders");
        var most = 0L;
        var cycles = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await using (await new RedisSemaphore(name, _db, permits: 3).AcquireAsync(Deadline))
                {
                    var now = await _db.StringIncrementAsync(holders);
                    InterlockedMax(ref most, now);
                    await Task.Yield();
                    await _db.StringDecrementAsync(holders);
                    Interlocked.Increment(ref cycles);
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(300, cycles);
        Assert.InRange(most, 1, 3);
        var semaphore = new RedisSemaphore(name, _db, permits: 3);
        await Eventually.SucceedsAsync(async () => await semaphore.AvailableCountAsync() == 3 ? true : throw new InvalidOperationException("permits still held"), Deadline);
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task Bad_arguments_are_refused()
    {
        var name = TestKeys.Unique("sem").ToString();
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisSemaphore(name, _db, permits: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisSemaphore(name, _db, permits: -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisSemaphore(name, _db, 1, TimeSpan.FromMilliseconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisSemaphore(name, _db, 1, TimeSpan.FromDays(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisSemaphore(name, _db, 1) { RetryDelay = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisSemaphore(name, _db, 1) { HandOverWindow = TimeSpan.FromMilliseconds(-1) });
        Assert.Throws<ArgumentException>(() => new RedisSemaphore(string.Empty, _db, 1));

        var semaphore = new RedisSemaphore(name, _db, 1);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await semaphore.TryAcquireAsync(TimeSpan.FromMilliseconds(-5)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await semaphore.AcquireAsync(TimeSpan.FromMilliseconds(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => semaphore.TryAcquire(TimeSpan.FromMilliseconds(-1.5)));
        Assert.False(await _db.KeyExistsAsync(semaphore.Key));
    }

    [Fact]
    public async Task A_key_of_another_type_is_a_wrong_type_error()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 2);
        await _db.StringSetAsync(semaphore.Key, "not a semaphore");

        var error = await Assert.ThrowsAsync<WrongTypeException>(async () => await semaphore.TryAcquireAsync());
        Assert.Contains(semaphore.Key.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WrongTypeException>(async () => await semaphore.AvailableCountAsync());
        await Assert.ThrowsAsync<WrongTypeException>(async () => await semaphore.AcquireAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal("not a semaphore", (string?)await _db.StringGetAsync(semaphore.Key));
        await _db.KeyDeleteAsync(semaphore.Key);
    }

    [Fact]
    public async Task Cancelling_a_waiter_leaves_nothing_behind()
    {
        var name = TestKeys.Unique("sem").ToString();

        // A lease no loaded machine outlasts: the waiter must not get the permit before it is cancelled.
        // The holder is of another client (as of another process), so the waiter stands in the server's line.
        await using var other = await redis.ConnectAsync();
        var semaphore = new RedisSemaphore(name, _db, 1, TimeSpan.FromMinutes(2));
        var held = await new RedisSemaphore(name, other.GetDatabase(), 1, TimeSpan.FromMinutes(2)).AcquireAsync();
        var line = DerivedKey.For(semaphore.Key, "waiting");
        using var cancel = new CancellationTokenSource();

        var waiting = semaphore.AcquireAsync(cancellationToken: cancel.Token).AsTask();
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 1 ? true : throw new InvalidOperationException("not in line yet"), Deadline);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 0 ? true : throw new InvalidOperationException("still in line"), Deadline);
        Assert.Equal(1, await _db.SortedSetLengthAsync(semaphore.Key));
        await held.ReleaseAsync();
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task LostToken_fires_when_the_lease_runs_out_and_the_permit_comes_back()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 1, TimeSpan.FromMilliseconds(300));
        var handle = await semaphore.AcquireAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(Deadline, handle.LostToken));

        Assert.Equal(TimeSpan.Zero, handle.ValidFor);
        await Assert.ThrowsAsync<ExtendUnlockedLockException>(async () => await handle.ExtendAsync());
        await Eventually.SucceedsAsync(async () => await semaphore.AvailableCountAsync() == 1 ? true : throw new InvalidOperationException("the lease has not ended on the server"), Deadline);
        var next = await semaphore.AcquireAsync(Deadline);
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await handle.ReleaseAsync());
        Assert.Equal(1, await _db.SortedSetLengthAsync(semaphore.Key));
        await next.ReleaseAsync();
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task Extend_and_the_watchdog_renew_the_lease_on_the_server()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 2, TimeSpan.FromSeconds(3)) { AutoExtend = true };
        var handle = await semaphore.AcquireAsync();
        var lost = handle.LostToken;
        var first = (double)(await _db.SortedSetScoreAsync(semaphore.Key, handle.Token))!;

        // Three renewals by the watchdog, each moving the lease's end on the server. A renewal comes
        // every second: a loaded machine (Garnet and the cluster beside it on 2 cores) stalls for
        // hundreds of milliseconds, and a shorter lease would end by the local clock meanwhile.
        var seen = first;
        for (var renewals = 0; renewals < 3; renewals++)
        {
            seen = await Eventually.SucceedsAsync(async () => (double)(await _db.SortedSetScoreAsync(semaphore.Key, handle.Token))! is var end && end > seen ? end : throw new InvalidOperationException("not renewed yet"), Deadline);
        }

        Assert.False(lost.IsCancellationRequested);
        Assert.Equal(1, await semaphore.AvailableCountAsync());
        await handle.ExtendAsync();
        await handle.ReleaseAsync();
        Assert.True(lost.IsCancellationRequested is false);
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task A_waiter_on_another_connection_is_woken_by_the_release()
    {
        var name = TestKeys.Unique("sem").ToString();
        using var elsewhere = await redis.ConnectAsync();
        var holder = new RedisSemaphore(name, _db, 1);
        var waiter = new RedisSemaphore(name, elsewhere.GetDatabase(), 1) { RetryDelay = TimeSpan.FromSeconds(30) };
        var held = await holder.AcquireAsync();

        var waiting = waiter.AcquireAsync(Deadline).AsTask();
        await Eventually.SucceedsAsync(async () => await SubscribersAsync(holder) > 0 ? true : throw new InvalidOperationException("nobody listens yet"), Deadline);
        await held.ReleaseAsync();

        // The retry pause is 30 s: only the release's announcement can end the wait sooner.
        var next = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        await next.ReleaseAsync();
        await Eventually.SucceedsAsync(async () => await SubscribersAsync(holder) == 0 ? true : throw new InvalidOperationException("still subscribed"), Deadline);
        await AssertNothingLeftAsync(holder);
    }

    [Fact]
    public async Task Each_release_wakes_the_waiter_whose_turn_it_is()
    {
        // Waiters retry only after an hour, so every hand-off is the release naming the next waiter in
        // the server's line; waking a waiter the line does not let in would stall the rest for that hour.
        var name = TestKeys.Unique("sem").ToString();
        var semaphore = new RedisSemaphore(name, _db, permits: 2) { RetryDelay = TimeSpan.FromHours(1) };
        var cycles = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using (await semaphore.AcquireAsync())
                {
                    Interlocked.Increment(ref cycles);
                }
            }
        })).WaitAsync(Deadline);

        Assert.Equal(80, cycles);
        Assert.Equal(2, await semaphore.AvailableCountAsync());
    }

    [Fact]
    public async Task A_release_hands_the_permit_to_the_waiter_whose_turn_it_is_for_the_waiters_own_lease()
    {
        var name = TestKeys.Unique("sem").ToString();
        var holder = await new RedisSemaphore(name, _db, 1).AcquireAsync();
        var waiterSemaphore = new RedisSemaphore(name, _db, 1, TimeSpan.FromMinutes(5)) { RetryDelay = TimeSpan.FromHours(1) };
        var line = DerivedKey.For(holder.Semaphore.Key, "waiting");
        var waiting = waiterSemaphore.AcquireAsync(Deadline).AsTask();
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 1 ? true : throw new InvalidOperationException("not in line yet"), Deadline);

        // Commands on one connection run in order: the read runs right after the release, before any
        // try the waiter could make on hearing of it.
        var releasing = holder.ReleaseAsync();
        var heldRightAfter = _db.SortedSetRangeByRankWithScoresAsync(holder.Semaphore.Key);
        await releasing;
        var held = Assert.Single(await heldRightAfter);
        var serverNow = await ServerMillisecondsAsync();

        var permit = await waiting;
        Assert.Equal(permit.Token, held.Element.ToString());
        Assert.InRange(held.Score - serverNow, TimeSpan.FromMinutes(4).TotalMilliseconds, TimeSpan.FromMinutes(5).TotalMilliseconds);
        Assert.InRange(permit.ValidFor, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Equal(0, await _db.SortedSetLengthAsync(line));
        await permit.ReleaseAsync();
        await AssertNothingLeftAsync(waiterSemaphore);
    }

    [Fact]
    public async Task Waiters_are_served_in_arrival_order()
    {
        var name = TestKeys.Unique("sem").ToString();
        var semaphore = new RedisSemaphore(name, _db, 1);
        var line = DerivedKey.For(semaphore.Key, "waiting");
        var held = await semaphore.AcquireAsync();
        var order = new List<string>();
        var waiters = new List<Task>();

        // Each waiter its own client, as of its own process: they meet in the server's line.
        var clients = new List<ConnectionMultiplexer>();
        foreach (var who in new[] { "a", "b", "c" })
        {
            var client = await redis.ConnectAsync();
            clients.Add(client);
            waiters.Add(Task.Run(async () =>
            {
                await using var permit = await new RedisSemaphore(name, client.GetDatabase(), 1).AcquireAsync(Deadline);
                lock (order)
                {
                    order.Add(who);
                }
            }));
            var inLine = waiters.Count;
            await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == inLine ? true : throw new InvalidOperationException("not in line yet"), Deadline);
        }

        await held.ReleaseAsync();
        await Task.WhenAll(waiters).WaitAsync(Deadline);

        Assert.Equal(["a", "b", "c"], order);
        await Eventually.SucceedsAsync(async () => await semaphore.AvailableCountAsync() == 1 ? true : throw new InvalidOperationException("still held"), Deadline);
        await AssertNothingLeftAsync(semaphore);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Acquirers_of_one_process_beyond_the_permits_wait_in_the_process_in_arrival_order()
    {
        var name = TestKeys.Unique("sem").ToString();
        var semaphore = new RedisSemaphore(name, _db, 2);
        var line = DerivedKey.For(semaphore.Key, "waiting");
        var held = new[] { await semaphore.AcquireAsync(), await semaphore.AcquireAsync() };
        var order = new List<string>();
        var waiters = new List<Task>();
        foreach (var who in new[] { "a", "b", "c" })
        {
            waiters.Add(Task.Run(async () =>
            {
                await using var permit = await new RedisSemaphore(name, _db, 2).AcquireAsync(Deadline);
                lock (order)
                {
                    order.Add(who);
                }
            }));
            var waiting = waiters.Count;
            await WaitingInProcessAsync(semaphore, waiting);
        }

        // Waiting here, not in the server's line: a release then costs no announcement and no grant.
        Assert.Equal(0, await _db.SortedSetLengthAsync(line));
        Assert.Null(await semaphore.TryAcquireAsync());

        // One permit given back serves them all, one after another, while the other is still held.
        held[0].Dispose();
        await Task.WhenAll(waiters).WaitAsync(Deadline);
        Assert.Equal(["a", "b", "c"], order);
        held[1].Dispose();

        Assert.False(LocalLockQueue.IsOpen(semaphore.LocalQueue), "the queue of a semaphore nobody holds or waits for is removed");
        await Eventually.SucceedsAsync(async () => await semaphore.AvailableCountAsync() == 2 ? true : throw new InvalidOperationException("still held"), Deadline);
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task A_permit_handed_to_the_processs_next_acquirer_still_goes_first_to_a_waiter_of_another_process_that_came_before()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 1);
        var held = await semaphore.AcquireAsync();
        var acquired = Stopwatch.StartNew();
        await using var other = await redis.ConnectAsync();
        var (remote, local) = await RemoteThenLocalWaiterAsync(semaphore, other);

        // The server's last word to this process (the acquire's answer: nobody waits) is older than the
        // hand-over window, so the local acquirer's try gives the permit back, to the waiter first in line.
        await Eventually.SucceedsAsync(() => Task.FromResult(acquired.Elapsed > semaphore.HandOverWindow ? true : throw new InvalidOperationException("still within the window")), Deadline);
        held.Dispose();
        await AssertServedInTurnAsync(semaphore, remote, local);
    }

    [Theory]
    [InlineData(60_000)]
    [InlineData(0)]
    public async Task A_permit_given_back_while_no_other_process_waits_passes_to_the_processs_next_acquirer_as_it_is_within_the_window(int windowMs)
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 1) { HandOverWindow = TimeSpan.FromMilliseconds(windowMs) };
        var held = await semaphore.AcquireAsync();
        var first = (await _db.SortedSetRangeByRankWithScoresAsync(semaphore.Key)).Single();
        var local = semaphore.AcquireAsync(Deadline).AsTask();
        await WaitingInProcessAsync(semaphore, 1);

        // A renewal made in the same millisecond as the acquire would not move the lease's end.
        var acquiredAtMs = first.Score - semaphore.LeaseTime.TotalMilliseconds;
        await Eventually.SucceedsAsync(async () => await ServerMillisecondsAsync() > acquiredAtMs ? true : throw new InvalidOperationException("same millisecond"), Deadline);
        held.Dispose();
        var passed = await local.WaitAsync(Deadline);

        var permits = await _db.SortedSetRangeByRankWithScoresAsync(semaphore.Key);
        if (windowMs > 0)
        {
            // The same permit, whose lease the new holder renews without waiting.
            await Eventually.SucceedsAsync(async () => await _db.SortedSetScoreAsync(semaphore.Key, first.Element) > first.Score ? true : throw new InvalidOperationException("not renewed yet"), Deadline);
            Assert.Equal(first.Element, permits.Single().Element);
        }
        else
        {
            Assert.NotEqual(first.Element, permits.Single().Element);
        }

        Assert.True(passed.ValidFor > semaphore.LeaseTime / 2, $"valid for {passed.ValidFor}");
        Assert.Equal(permits.Single().Element, (RedisValue)passed.Token);
        await passed.ReleaseAsync();
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task A_permit_passed_on_in_the_process_that_the_server_no_longer_holds_is_lost_once_its_renewal_is_answered()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 1) { HandOverWindow = TimeSpan.FromMinutes(1) };
        var held = await semaphore.AcquireAsync();
        var local = semaphore.AcquireAsync(Deadline).AsTask();
        await WaitingInProcessAsync(semaphore, 1);

        // The server loses the permit (as a restart without persistence would) while the process
        // still counts it held: the permit passes on, and its renewal finds it gone.
        await _db.KeyDeleteAsync(semaphore.Key);
        held.Dispose();
        var passed = await local.WaitAsync(Deadline);
        var lost = passed.LostToken;

        await Eventually.SucceedsAsync(() => Task.FromResult(lost.IsCancellationRequested ? true : throw new InvalidOperationException("not lost yet")), Deadline);
        Assert.Equal(TimeSpan.Zero, passed.ValidFor);
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await passed.ReleaseAsync());
        Assert.False(LocalLockQueue.IsOpen(semaphore.LocalQueue), "the lost permit still holds a turn in the process");
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task Within_the_window_permits_pass_in_the_process_until_the_server_says_a_waiter_of_another_process_is_in_line()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 1) { HandOverWindow = TimeSpan.FromMinutes(1) };
        var held = await semaphore.AcquireAsync();
        await using var other = await redis.ConnectAsync();
        var (remote, first) = await RemoteThenLocalWaiterAsync(semaphore, other);

        // The server's last word to this process, within the window, was that nobody waits: the
        // permit passes in the process (the skew the window allows).
        held.Dispose();
        var firstPermit = await first.WaitAsync(Deadline);
        var second = semaphore.AcquireAsync(Deadline).AsTask();
        await WaitingInProcessAsync(semaphore, 1);

        // Renewing asks the server, which now says someone waits: the next permit goes through it.
        await firstPermit.ExtendAsync();
        firstPermit.Dispose();
        await AssertServedInTurnAsync(semaphore, remote, second);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(60_000)]
    public async Task Two_clients_of_many_callers_that_time_out_cancel_and_hand_over_never_exceed_the_permits_and_leave_nothing(int handOverWindowMs)
    {
        const int Permits = 3;
        var name = TestKeys.Unique("sem").ToString();
        await using var other = await redis.ConnectAsync();
        var databases = new[] { _db, other.GetDatabase() };
        var holding = 0;
        var mostHeld = 0;
        var acquired = 0;

        // Eight callers per client; some wait briefly and time out, some are cancelled while they wait,
        // most wait as long as it takes. Holders dispose (handing over) or release (awaited).
        async Task CallerAsync(IDatabase database, int caller)
        {
            // A long window lets permits pass within each client on stale word from the server.
            var semaphore = new RedisSemaphore(name, database, Permits) { HandOverWindow = TimeSpan.FromMilliseconds(handOverWindowMs) };
            for (var round = 0; round < 25; round++)
            {
                var kind = (caller + round) % 5;
                using var cancel = new CancellationTokenSource();
                if (kind == 1)
                {
                    cancel.CancelAfter(TimeSpan.FromMilliseconds(1));
                }

                RedisSemaphoreHandle? handle;
                try
                {
                    handle = kind == 2 ? await semaphore.TryAcquireAsync(TimeSpan.FromMilliseconds(1)) : await semaphore.AcquireAsync(Deadline, cancel.Token);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    continue;
                }

                if (handle is null)
                {
                    continue;
                }

                var now = Interlocked.Increment(ref holding);
                InterlockedMax(ref mostHeld, now);
                Interlocked.Increment(ref acquired);
                await Task.Yield();
                Interlocked.Decrement(ref holding);
                if (kind == 3)
                {
                    await handle.ReleaseAsync();
                }
                else
                {
                    handle.Dispose();
                }
            }
        }

        var callers = Enumerable.Range(0, 16).Select(i => Task.Run(() => CallerAsync(databases[i % 2], i))).ToArray();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.InRange(mostHeld, 1, Permits);
        Assert.True(acquired >= 16 * 25 * 3 / 5, $"only {acquired} acquisitions");
        var probe = new RedisSemaphore(name, _db, Permits);
        await Eventually.SucceedsAsync(async () => await probe.AvailableCountAsync() == Permits ? true : throw new InvalidOperationException("a permit is still held"), Deadline);
        await Eventually.SucceedsAsync(async () =>
        {
            await AssertNothingLeftAsync(probe);
            return true;
        }, Deadline);
        Assert.False(LocalLockQueue.IsOpen(probe.LocalQueue), "a local queue is left open");

        static void InterlockedMax(ref int target, int value)
        {
            var seen = Volatile.Read(ref target);
            while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var was && was != seen)
            {
                seen = was;
            }
        }
    }

    [Fact]
    public async Task A_permit_nobody_gives_back_keeps_the_processs_next_acquirer_waiting_only_until_its_lease_ends()
    {
        var name = TestKeys.Unique("sem").ToString();
        var semaphore = new RedisSemaphore(name, _db, 1, TimeSpan.FromMilliseconds(500));
        _ = await semaphore.AcquireAsync();

        var next = await semaphore.AcquireAsync(Deadline);

        Assert.True(next.ValidFor > TimeSpan.Zero);
        await next.ReleaseAsync();
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task A_cancelled_acquirer_leaves_the_processs_queue_and_asks_nothing_of_the_server()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 1);
        var line = DerivedKey.For(semaphore.Key, "waiting");
        var held = await semaphore.AcquireAsync();
        using var cancel = new CancellationTokenSource();

        var waiting = semaphore.AcquireAsync(cancellationToken: cancel.Token).AsTask();
        await WaitingInProcessAsync(semaphore, 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        Assert.Equal(0, LocalLockQueue.Waiting(semaphore.LocalQueue));
        Assert.Equal(0, await _db.SortedSetLengthAsync(line));
        await held.ReleaseAsync();
        Assert.False(LocalLockQueue.IsOpen(semaphore.LocalQueue));
        await AssertNothingLeftAsync(semaphore);
    }

    [Fact]
    public async Task A_single_try_yields_to_a_waiter_in_line_until_the_waiters_place_lapses()
    {
        var semaphore = new RedisSemaphore(TestKeys.Unique("sem").ToString(), _db, 1);
        var line = DerivedKey.For(semaphore.Key, "waiting");
        var leases = DerivedKey.For(semaphore.Key, "waiters");

        // A waiter of a process that died: in line, its place lapsing in 1.5 s by the server's clock.
        var now = (long)await _db.ScriptEvaluateAsync("local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)", [semaphore.Key]);
        await _db.SortedSetAddAsync(line, "dead", now * 1000);
        await _db.SortedSetAddAsync(leases, "dead", now + 1500);

        Assert.Equal(1, await semaphore.AvailableCountAsync());
        Assert.Null(await semaphore.TryAcquireAsync());
        var handle = await semaphore.AcquireAsync(Deadline);
        Assert.Equal(0, await _db.SortedSetLengthAsync(line));
        await handle.ReleaseAsync();
        await AssertNothingLeftAsync(semaphore);
    }

    private static void InterlockedMax(ref long most, long value)
    {
        var seen = Volatile.Read(ref most);
        while (value > seen && Interlocked.CompareExchange(ref most, value, seen) is var before && before != seen)
        {
            seen = before;
        }
    }

    // With a permit held here: a waiter of another process (a client of its own) joins the server's
    // line, then an acquirer of this process waits for a turn.
    private async Task<(Task<RedisSemaphoreHandle> Remote, Task<RedisSemaphoreHandle> Local)> RemoteThenLocalWaiterAsync(RedisSemaphore semaphore, ConnectionMultiplexer other)
    {
        var line = DerivedKey.For(semaphore.Key, "waiting");
        var remote = new RedisSemaphore(semaphore.Name, other.GetDatabase(), semaphore.Permits).AcquireAsync(Deadline).AsTask();
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 1 ? true : throw new InvalidOperationException("not in line yet"), Deadline);
        var local = semaphore.AcquireAsync(Deadline).AsTask();
        await WaitingInProcessAsync(semaphore, 1);
        return (remote, local);
    }

    // The permit went to the other process's waiter, first in line, and the local acquirer gets it next.
    private async Task AssertServedInTurnAsync(RedisSemaphore semaphore, Task<RedisSemaphoreHandle> remote, Task<RedisSemaphoreHandle> local)
    {
        var remotePermit = await remote.WaitAsync(Deadline);
        Assert.Equal([(RedisValue)remotePermit.Token], await _db.SortedSetRangeByRankAsync(semaphore.Key));
        Assert.False(local.IsCompleted, "the local acquirer got a permit the other process held");
        await remotePermit.ReleaseAsync();
        var localPermit = await local.WaitAsync(Deadline);
        await localPermit.ReleaseAsync();
        await AssertNothingLeftAsync(semaphore);
    }

    // Until exactly `count` acquirers of this process wait for a turn at the semaphore.
    private static Task<bool> WaitingInProcessAsync(RedisSemaphore semaphore, int count) =>
        Eventually.SucceedsAsync(() => Task.FromResult(LocalLockQueue.Waiting(semaphore.LocalQueue) == count ? true : throw new InvalidOperationException("not waiting yet")), Deadline);

    private async Task AssertNothingLeftAsync(RedisSemaphore semaphore)
    {
        foreach (var key in new[] { semaphore.Key, DerivedKey.For(semaphore.Key, "waiting"), DerivedKey.For(semaphore.Key, "waiters") })
        {
            Assert.False(await _db.KeyExistsAsync(key), $"{key} is left behind");
        }
    }

    private async Task<double> ServerMillisecondsAsync()
    {
        var time = (string[])(await _db.ExecuteAsync("TIME"))!;
        return (long.Parse(time[0], CultureInfo.InvariantCulture) * 1000) + (long.Parse(time[1], CultureInfo.InvariantCulture) / 1000);
    }

    private async Task<long> SubscribersAsync(RedisSemaphore semaphore)
    {
        long count = 0;
        foreach (var server in redis.Connection.GetServers())
        {
            var reply = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "NUMSUB", semaphore.Key.ToString() + ":released"))!;
            count += (long)reply[1];
        }

        return count;
    }
}

public sealed class RedisSemaphoreTestsOnStandalone(RedisServerFixture redis) : RedisSemaphoreTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisSemaphoreTestsOnCluster(SharedClusterFixture redis) : RedisSemaphoreTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisSemaphoreTestsOnGarnet(SharedGarnetFixture redis) : RedisSemaphoreTests(redis), IClassFixture<SharedGarnetFixture>;

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

public abstract class RedisReaderWriterLockTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Readers_share_and_a_writer_excludes_readers_and_writers()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db);
        Assert.Equal(0, await rwlock.ReaderCountAsync());
        Assert.False(await rwlock.IsWriteHeldAsync());

        var first = await rwlock.AcquireReadAsync(TimeSpan.Zero);
        var second = rwlock.AcquireRead();
        Assert.False(first.IsWrite);
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(2, rwlock.ReaderCount());
        Assert.Null(await rwlock.TryAcquireWriteAsync());
        Assert.Null(rwlock.TryAcquireWrite(TimeSpan.FromMilliseconds(50)));
        await Assert.ThrowsAsync<TimeoutException>(async () => await rwlock.AcquireWriteAsync(TimeSpan.Zero));

        await first.ExtendAsync();
        second.Extend();
        await first.ReleaseAsync();
        Assert.Null(await rwlock.TryAcquireWriteAsync());
        second.Release();
        Assert.Equal(0, await rwlock.ReaderCountAsync());

        var writer = await rwlock.AcquireWriteAsync(TimeSpan.Zero);
        Assert.True(writer.IsWrite);
        Assert.True(rwlock.IsWriteHeld());
        Assert.Equal(0, await rwlock.ReaderCountAsync());
        Assert.Null(await rwlock.TryAcquireReadAsync());
        Assert.Null(rwlock.TryAcquireRead(TimeSpan.FromMilliseconds(50)));
        Assert.Null(await rwlock.TryAcquireWriteAsync());
        await Assert.ThrowsAsync<TimeoutException>(async () => await rwlock.AcquireReadAsync(TimeSpan.FromMilliseconds(50)));
        await writer.ExtendAsync();
        Assert.True(writer.ValidFor > TimeSpan.Zero);
        await writer.ReleaseAsync();

        Assert.False(await rwlock.IsWriteHeldAsync());
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await writer.ReleaseAsync());
        await Assert.ThrowsAsync<ExtendUnlockedLockException>(async () => await writer.ExtendAsync());
        Assert.Throws<ObjectDisposedException>(() => writer.LostToken);
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task A_waiting_writer_keeps_new_readers_out_and_gets_the_lock_when_the_readers_release()
    {
        var name = TestKeys.Unique("rw").ToString();

        // A lease no loaded machine outlasts: the writer must get the lock by the release, not by the lease's end.
        var rwlock = new RedisReaderWriterLock(name, _db, TimeSpan.FromMinutes(2));
        var line = DerivedKey.For(rwlock.Key, "waiting");
        var reading = await rwlock.AcquireReadAsync();

        var writing = new RedisReaderWriterLock(name, _db).AcquireWriteAsync(Deadline).AsTask();
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 1 ? true : throw new InvalidOperationException("the writer is not in line yet"), Deadline);

        // Writers first: a reader arriving after the waiting writer waits behind it.
        Assert.Null(await rwlock.TryAcquireReadAsync());
        var laterReader = new RedisReaderWriterLock(name, _db).AcquireReadAsync(Deadline).AsTask();
        Assert.False(writing.IsCompleted);
        Assert.False(laterReader.IsCompleted);
        Assert.Equal(1, await rwlock.ReaderCountAsync());

        await reading.ReleaseAsync();
        var writer = await writing.WaitAsync(Deadline);
        Assert.True(writer.IsWrite);
        Assert.Equal(0, await _db.SortedSetLengthAsync(line));
        Assert.False(laterReader.IsCompleted);
        Assert.Equal(0, await rwlock.ReaderCountAsync());

        await writer.ReleaseAsync();
        var reader = await laterReader.WaitAsync(Deadline);
        Assert.False(reader.IsWrite);
        await reader.ReleaseAsync();
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task A_writer_never_holds_the_lock_with_anyone_else_among_many_tasks()
    {
        var name = TestKeys.Unique("rw").ToString();
        int readers = 0, writers = 0, overlaps = 0, reads = 0, writes = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            var rwlock = new RedisReaderWriterLock(name, _db);
            for (var i = 0; i < 20; i++)
            {
                if ((caller + i) % 4 == 0)
                {
                    await using (await rwlock.AcquireWriteAsync(Deadline))
                    {
                        if (Interlocked.Increment(ref writers) != 1 || Volatile.Read(ref readers) != 0)
                        {
                            Interlocked.Increment(ref overlaps);
                        }

                        await _db.PingAsync();
                        Interlocked.Decrement(ref writers);
                        Interlocked.Increment(ref writes);
                    }
                }
                else
                {
                    await using (await rwlock.AcquireReadAsync(Deadline))
                    {
                        Interlocked.Increment(ref readers);
                        if (Volatile.Read(ref writers) != 0)
                        {
                            Interlocked.Increment(ref overlaps);
                        }

                        await _db.PingAsync();
                        Interlocked.Decrement(ref readers);
                        Interlocked.Increment(ref reads);
                    }
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(0, overlaps);
        Assert.Equal(40, writes);
        Assert.Equal(120, reads);
        var rwlock = new RedisReaderWriterLock(name, _db);
        await Eventually.SucceedsAsync(async () => await rwlock.ReaderCountAsync() == 0 && !await rwlock.IsWriteHeldAsync() ? true : throw new InvalidOperationException("still held"), Deadline);
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task Each_release_wakes_the_writer_first_in_line()
    {
        // Waiters retry only after an hour, so every hand-off between writers is the announcement
        // naming the first writer in the server's line; waking another would stall them all for that hour.
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db) { RetryDelay = TimeSpan.FromHours(1) };
        var writes = 0;

        await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            for (var i = 0; i < 8; i++)
            {
                await using (await rwlock.AcquireWriteAsync())
                {
                    Interlocked.Increment(ref writes);
                }
            }
        })).WaitAsync(Deadline);

        Assert.Equal(48, writes);
        Assert.False(await rwlock.IsWriteHeldAsync());
    }

    [Fact]
    public async Task Cancelling_a_waiting_writer_leaves_nothing_behind_and_lets_readers_in_again()
    {
        var name = TestKeys.Unique("rw").ToString();

        // A lease no loaded machine outlasts: the writer must not get the lock before it is cancelled.
        var rwlock = new RedisReaderWriterLock(name, _db, TimeSpan.FromMinutes(2));
        var reading = await rwlock.AcquireReadAsync();
        var line = DerivedKey.For(rwlock.Key, "waiting");
        using var cancel = new CancellationTokenSource();

        var writing = rwlock.AcquireWriteAsync(cancellationToken: cancel.Token).AsTask();
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 1 ? true : throw new InvalidOperationException("not in line yet"), Deadline);
        Assert.Null(await rwlock.TryAcquireReadAsync());
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing.WaitAsync(Deadline));
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 0 ? true : throw new InvalidOperationException("still in line"), Deadline);
        Assert.False(await _db.KeyExistsAsync(DerivedKey.For(rwlock.Key, "waiters")));
        Assert.False(await rwlock.IsWriteHeldAsync());
        var another = await rwlock.AcquireReadAsync(TimeSpan.Zero);
        Assert.Equal(2, await rwlock.ReaderCountAsync());
        await another.ReleaseAsync();
        await reading.ReleaseAsync();
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task Cancelling_a_waiting_reader_leaves_nothing_behind()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db, TimeSpan.FromMinutes(2));
        var writer = await rwlock.AcquireWriteAsync();
        using var cancel = new CancellationTokenSource();

        var reading = rwlock.AcquireReadAsync(cancellationToken: cancel.Token).AsTask();
        await Eventually.SucceedsAsync(async () => await SubscribersAsync(rwlock, ReaderWriterLockAcquire.Readable) > 0 ? true : throw new InvalidOperationException("not waiting yet"), Deadline);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Deadline));
        await Eventually.SucceedsAsync(async () => await SubscribersAsync(rwlock, ReaderWriterLockAcquire.Readable) == 0 ? true : throw new InvalidOperationException("still subscribed"), Deadline);
        Assert.Equal(0, await rwlock.ReaderCountAsync());
        Assert.True(await rwlock.IsWriteHeldAsync());
        await writer.ReleaseAsync();
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task Bad_arguments_are_refused()
    {
        var name = TestKeys.Unique("rw").ToString();
        Assert.Throws<ArgumentNullException>(() => new RedisReaderWriterLock(null!, _db));
        Assert.Throws<ArgumentException>(() => new RedisReaderWriterLock(string.Empty, _db));
        Assert.Throws<ArgumentNullException>(() => new RedisReaderWriterLock(name, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReaderWriterLock(name, _db, TimeSpan.FromMilliseconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReaderWriterLock(name, _db, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReaderWriterLock(name, _db, TimeSpan.FromDays(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReaderWriterLock(name, _db) { RetryDelay = TimeSpan.Zero });

        var rwlock = new RedisReaderWriterLock(name, _db);
        var negative = TimeSpan.FromMilliseconds(-5);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await rwlock.TryAcquireReadAsync(negative));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await rwlock.AcquireReadAsync(negative));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await rwlock.TryAcquireWriteAsync(negative));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await rwlock.AcquireWriteAsync(negative));
        Assert.Throws<ArgumentOutOfRangeException>(() => rwlock.TryAcquireRead(TimeSpan.FromMilliseconds(-1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => rwlock.AcquireWrite(negative));
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task A_reader_asking_for_the_write_lock_is_refused_and_keeps_its_read()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db, TimeSpan.FromMinutes(2));
        var line = DerivedKey.For(rwlock.Key, "waiting");
        var reading = await rwlock.AcquireReadAsync();

        // No upgrade: the write waits for the caller's own read, so the call ends at its timeout.
        Assert.Null(await rwlock.TryAcquireWriteAsync());
        Assert.Null(rwlock.TryAcquireWrite(TimeSpan.FromMilliseconds(100)));
        var refused = await Assert.ThrowsAsync<TimeoutException>(async () => await rwlock.AcquireWriteAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Contains("never upgraded", refused.Message, StringComparison.Ordinal);

        // The refused claim is withdrawn: readers are let in again, and the read is still held.
        await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == 0 ? true : throw new InvalidOperationException("the claim is still in line"), Deadline);
        await reading.ExtendAsync();
        Assert.True(reading.ValidFor > TimeSpan.Zero);
        Assert.False(reading.LostToken.IsCancellationRequested);
        var another = await rwlock.AcquireReadAsync(TimeSpan.Zero);
        Assert.Equal(2, await rwlock.ReaderCountAsync());
        Assert.False(await rwlock.IsWriteHeldAsync());

        // Released first, the read makes way for the write.
        await another.ReleaseAsync();
        await reading.ReleaseAsync();
        var writer = await rwlock.AcquireWriteAsync(TimeSpan.Zero);
        await writer.ReleaseAsync();
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task Disposing_a_handle_never_releases_another_acquisition()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db);
        var first = await rwlock.AcquireReadAsync();
        var second = await rwlock.AcquireReadAsync();

        first.Dispose();
        await first.DisposeAsync();
        first.Dispose();
        await Eventually.SucceedsAsync(async () => await rwlock.ReaderCountAsync() == 1 ? true : throw new InvalidOperationException("the first read is still held"), Deadline);
        Assert.NotNull(await _db.SortedSetScoreAsync(rwlock.Key, second.Token));
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await first.ReleaseAsync());
        Assert.Equal(1, await rwlock.ReaderCountAsync());

        await second.DisposeAsync();
        var writer = await rwlock.AcquireWriteAsync(Deadline);
        second.Dispose();
        Assert.True(await rwlock.IsWriteHeldAsync());
        writer.Dispose();
        await Eventually.SucceedsAsync(async () => await rwlock.IsWriteHeldAsync() ? throw new InvalidOperationException("still held") : true, Deadline);
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task A_key_of_another_type_is_a_wrong_type_error()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db);
        await _db.StringSetAsync(rwlock.Key, "not a lock");

        var error = await Assert.ThrowsAsync<WrongTypeException>(async () => await rwlock.TryAcquireReadAsync());
        Assert.Contains(rwlock.Key.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WrongTypeException>(async () => await rwlock.TryAcquireWriteAsync());
        await Assert.ThrowsAsync<WrongTypeException>(async () => await rwlock.ReaderCountAsync());
        await Assert.ThrowsAsync<WrongTypeException>(async () => await rwlock.AcquireWriteAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal("not a lock", (string?)await _db.StringGetAsync(rwlock.Key));
        await _db.KeyDeleteAsync(rwlock.Key);
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task LostToken_fires_when_the_lease_runs_out_and_the_lock_comes_back()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db, TimeSpan.FromMilliseconds(300));
        var writer = await rwlock.AcquireWriteAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(Deadline, writer.LostToken));

        Assert.Equal(TimeSpan.Zero, writer.ValidFor);
        await Assert.ThrowsAsync<ExtendUnlockedLockException>(async () => await writer.ExtendAsync());
        var reader = await rwlock.AcquireReadAsync(Deadline);
        Assert.False(await rwlock.IsWriteHeldAsync());
        await Assert.ThrowsAsync<ReleaseUnlockedLockException>(async () => await writer.ReleaseAsync());
        Assert.Equal(1, await rwlock.ReaderCountAsync());
        await reader.ReleaseAsync();
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task Extend_and_the_watchdog_renew_the_lease_on_the_server()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db, TimeSpan.FromSeconds(3)) { AutoExtend = true };
        var writerKey = DerivedKey.For(rwlock.Key, "writer");
        var writer = await rwlock.AcquireWriteAsync();
        var lost = writer.LostToken;
        var seen = (double)(await _db.SortedSetScoreAsync(writerKey, writer.Token))!;

        // Renewals come every second: a loaded machine stalls for hundreds of milliseconds, and a shorter lease would end by the local clock meanwhile.
        for (var renewals = 0; renewals < 3; renewals++)
        {
            seen = await Eventually.SucceedsAsync(async () => (double)(await _db.SortedSetScoreAsync(writerKey, writer.Token))! is var end && end > seen ? end : throw new InvalidOperationException("not renewed yet"), Deadline);
        }

        Assert.False(lost.IsCancellationRequested);
        Assert.True(await rwlock.IsWriteHeldAsync());
        await writer.ExtendAsync();
        await writer.ReleaseAsync();
        Assert.False(lost.IsCancellationRequested);

        var reader = await rwlock.AcquireReadAsync();
        var first = (double)(await _db.SortedSetScoreAsync(rwlock.Key, reader.Token))!;
        await Eventually.SucceedsAsync(async () => (double)(await _db.SortedSetScoreAsync(rwlock.Key, reader.Token))! > first ? true : throw new InvalidOperationException("not renewed yet"), Deadline);
        await reader.ReleaseAsync();
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task Waiters_on_another_connection_are_woken_by_the_release()
    {
        var name = TestKeys.Unique("rw").ToString();
        using var elsewhere = await redis.ConnectAsync();
        var holder = new RedisReaderWriterLock(name, _db);
        var waiter = new RedisReaderWriterLock(name, elsewhere.GetDatabase()) { RetryDelay = TimeSpan.FromSeconds(30) };

        // The retry pause is 30 s: only the release's announcement can end each wait sooner.
        var writer = await holder.AcquireWriteAsync();
        var readers = new[] { waiter.AcquireReadAsync(Deadline).AsTask(), waiter.AcquireReadAsync(Deadline).AsTask() };
        await Eventually.SucceedsAsync(async () => await SubscribersAsync(holder, ReaderWriterLockAcquire.Readable) > 0 ? true : throw new InvalidOperationException("nobody listens yet"), Deadline);
        await writer.ReleaseAsync();
        var reads = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, await holder.ReaderCountAsync());

        var writing = waiter.AcquireWriteAsync(Deadline).AsTask();
        await Eventually.SucceedsAsync(async () => await SubscribersAsync(holder, ReaderWriterLockAcquire.Writable) > 0 ? true : throw new InvalidOperationException("nobody listens yet"), Deadline);
        await reads[0].ReleaseAsync();
        await reads[1].ReleaseAsync();
        var next = await writing.WaitAsync(TimeSpan.FromSeconds(20));
        await next.ReleaseAsync();

        foreach (var suffix in new[] { ReaderWriterLockAcquire.Readable, ReaderWriterLockAcquire.Writable })
        {
            await Eventually.SucceedsAsync(async () => await SubscribersAsync(holder, suffix) == 0 ? true : throw new InvalidOperationException($"still subscribed to {suffix}"), Deadline);
        }

        await AssertNothingLeftAsync(holder);
    }

    [Fact]
    public async Task Waiting_writers_are_served_in_arrival_order()
    {
        var name = TestKeys.Unique("rw").ToString();
        var rwlock = new RedisReaderWriterLock(name, _db);
        var line = DerivedKey.For(rwlock.Key, "waiting");
        var reading = await rwlock.AcquireReadAsync();
        var order = new List<string>();
        var waiters = new List<Task>();
        foreach (var who in new[] { "a", "b", "c" })
        {
            waiters.Add(Task.Run(async () =>
            {
                await using var write = await new RedisReaderWriterLock(name, _db).AcquireWriteAsync(Deadline);
                lock (order)
                {
                    order.Add(who);
                }
            }));
            var inLine = waiters.Count;
            await Eventually.SucceedsAsync(async () => await _db.SortedSetLengthAsync(line) == inLine ? true : throw new InvalidOperationException("not in line yet"), Deadline);
        }

        await reading.ReleaseAsync();
        await Task.WhenAll(waiters).WaitAsync(Deadline);

        Assert.Equal(["a", "b", "c"], order);
        await Eventually.SucceedsAsync(async () => await rwlock.IsWriteHeldAsync() ? throw new InvalidOperationException("still held") : true, Deadline);
        await AssertNothingLeftAsync(rwlock);
    }

    [Fact]
    public async Task A_dead_waiting_writer_keeps_readers_out_only_until_its_place_lapses()
    {
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), _db);
        var line = DerivedKey.For(rwlock.Key, "waiting");
        var leases = DerivedKey.For(rwlock.Key, "waiters");

        // A waiting writer of a process that died: in line, its place lapsing in 1.5 s by the server's clock.
        var now = (long)await _db.ScriptEvaluateAsync("local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)", [rwlock.Key]);
        await _db.SortedSetAddAsync(line, "dead", now * 1000);
        await _db.SortedSetAddAsync(leases, "dead", now + 1500);

        Assert.Null(await rwlock.TryAcquireReadAsync());
        Assert.Null(await rwlock.TryAcquireWriteAsync());
        var reader = await rwlock.AcquireReadAsync(Deadline);
        Assert.Equal(0, await _db.SortedSetLengthAsync(line));
        await reader.ReleaseAsync();
        await AssertNothingLeftAsync(rwlock);
    }

    private async Task AssertNothingLeftAsync(RedisReaderWriterLock rwlock)
    {
        foreach (var key in new[] { rwlock.Key, DerivedKey.For(rwlock.Key, "writer"), DerivedKey.For(rwlock.Key, "waiting"), DerivedKey.For(rwlock.Key, "waiters") })
        {
            Assert.False(await _db.KeyExistsAsync(key), $"{key} is left behind");
        }

        // And nothing else named after the lock, on any master.
        foreach (var server in redis.Connection.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: $"*{rwlock.Name}*"))
            {
                Assert.Fail($"{key} is left behind");
            }
        }
    }

    private async Task<long> SubscribersAsync(RedisReaderWriterLock rwlock, string suffix)
    {
        long count = 0;
        foreach (var server in redis.Connection.GetServers())
        {
            var reply = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "NUMSUB", rwlock.Key.ToString() + suffix))!;
            count += (long)reply[1];
        }

        return count;
    }
}

public sealed class RedisReaderWriterLockTestsOnStandalone(RedisServerFixture redis) : RedisReaderWriterLockTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisReaderWriterLockTestsOnCluster(SharedClusterFixture redis) : RedisReaderWriterLockTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisReaderWriterLockTestsOnGarnet(SharedGarnetFixture redis) : RedisReaderWriterLockTests(redis), IClassFixture<SharedGarnetFixture>;

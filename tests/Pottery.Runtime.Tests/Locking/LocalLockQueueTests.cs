using System.Collections.Concurrent;
using Pottery.Runtime.Tests.Queues;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>Acquirers of one lock within a process wait in line, and the holder hands the lock's queue on.</summary>
public sealed class LocalLockQueueTests(RedisMastersFixture masters) : IClassFixture<RedisMastersFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static string Name() => TestKeys.Unique("lock").ToString();

    private IDatabase[] Masters(int count) => masters.Databases.Take(count).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Local_waiters_get_the_lock_in_arrival_order(int masterCount)
    {
        var name = Name();
        var databases = Masters(masterCount);
        var holder = await new Redlock(name, databases).AcquireAsync();
        var order = new ConcurrentQueue<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            var index = i;
            waiters.Add(Task.Run(async () =>
            {
                await using (await new Redlock(name, databases).AcquireAsync(Deadline))
                {
                    order.Enqueue(index);
                }
            }));
            await WaitingAsync(new Redlock(name, databases), index + 1);
        }

        holder.Dispose();
        await Task.WhenAll(waiters).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, 8), order);
        Assert.False(LocalLockQueue.IsOpen(new Redlock(name, databases).LocalQueue), "the queue of a lock nobody holds or waits for is removed");
    }

    [Fact]
    public async Task A_released_holder_that_acquires_again_goes_behind_the_waiters()
    {
        var name = Name();
        var redlock = new Redlock(name, Masters(1)) { Fenced = true };
        var first = await redlock.AcquireAsync();
        var waiting = redlock.AcquireAsync(Deadline).AsTask();
        await WaitingAsync(redlock, 1);

        await first.ReleaseAsync();
        var again = redlock.AcquireAsync(Deadline).AsTask();
        var second = await waiting.WaitAsync(Deadline);

        Assert.False(again.IsCompleted, "the waiter got the lock, so the holder that came back waits");
        Assert.True(second.FencingToken > first.FencingToken);
        second.Dispose();
        await using var third = await again.WaitAsync(Deadline);
        Assert.True(third.FencingToken > second.FencingToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Cancelled_and_timed_out_waiters_leave_the_queue_and_the_next_one_gets_the_lock(int masterCount)
    {
        var name = Name();
        var databases = Masters(masterCount);
        var redlock = new Redlock(name, databases);
        var holder = await redlock.AcquireAsync();
        using var cancel = new CancellationTokenSource();

        var cancelled = redlock.AcquireAsync(cancellationToken: cancel.Token).AsTask();
        await WaitingAsync(redlock, 1);
        var timedOut = redlock.TryAcquireAsync(TimeSpan.FromMilliseconds(200)).AsTask();
        await WaitingAsync(redlock, 2);
        var throwing = redlock.AcquireAsync(TimeSpan.FromMilliseconds(200)).AsTask();
        await WaitingAsync(redlock, 3);
        var next = redlock.AcquireAsync(Deadline).AsTask();
        await WaitingAsync(redlock, 4);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(await timedOut.WaitAsync(Deadline));
        await Assert.ThrowsAsync<TimeoutException>(() => throwing.WaitAsync(Deadline));
        Assert.Equal(1, LocalLockQueue.Waiting(redlock.LocalQueue));
        Assert.False(next.IsCompleted);

        holder.Dispose();
        var handle = await next.WaitAsync(Deadline);
        Assert.True(await handle.HeldForAsync() > TimeSpan.Zero);
        await handle.ReleaseAsync();
        Assert.False(LocalLockQueue.IsOpen(redlock.LocalQueue));
    }

    [Fact]
    public async Task A_single_try_does_not_queue_and_fails_while_another_local_acquirer_holds_the_lock()
    {
        var redlock = new Redlock(Name(), Masters(1));
        await using var holder = await redlock.AcquireAsync();

        Assert.Null(await redlock.TryAcquireAsync());
        Assert.Throws<TimeoutException>(() => redlock.Acquire(TimeSpan.Zero));
        Assert.Equal(0, LocalLockQueue.Waiting(redlock.LocalQueue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_handle_nobody_disposes_blocks_local_waiters_only_until_its_validity_ends(int masterCount)
    {
        var name = Name();
        var databases = Masters(masterCount);
        var forgotten = await new Redlock(name, databases, autoReleaseTime: TimeSpan.FromMilliseconds(500)) { Fenced = true }.AcquireAsync();

        await using var next = await new Redlock(name, databases) { Fenced = true }.AcquireAsync(Deadline);

        Assert.True(next.FencingToken > forgotten.FencingToken);
        Assert.True(await next.HeldForAsync() > TimeSpan.Zero);
        GC.KeepAlive(forgotten);
    }

    [Fact]
    public async Task Waiters_behind_a_forgotten_handle_are_woken_when_its_validity_ends()
    {
        var name = Name();
        var databases = Masters(1);
        var redlock = new Redlock(name, databases);
        var forgotten = await new Redlock(name, databases, autoReleaseTime: TimeSpan.FromMilliseconds(500)).AcquireAsync();
        var waiters = Enumerable.Range(0, 3).Select(_ => redlock.AcquireAsync(Deadline).AsTask()).ToArray();

        foreach (var waiter in waiters)
        {
            (await waiter.WaitAsync(Deadline)).Dispose();
        }

        GC.KeepAlive(forgotten);
        Assert.False(LocalLockQueue.IsOpen(redlock.LocalQueue));
    }

    [Fact]
    public async Task The_queue_of_an_expired_handle_nobody_disposes_is_swept()
    {
        var redlock = new Redlock(Name(), Masters(1), autoReleaseTime: TimeSpan.FromMilliseconds(100));
        var forgotten = await redlock.AcquireAsync();
        Assert.True(LocalLockQueue.IsOpen(redlock.LocalQueue));

        await Eventually.SucceedsAsync(
            () =>
            {
                LocalLockQueue.Sweep();
                return Task.FromResult(LocalLockQueue.IsOpen(redlock.LocalQueue) ? throw new InvalidOperationException("still open") : true);
            },
            Deadline);
        GC.KeepAlive(forgotten);
    }

    [Fact]
    public async Task A_holder_whose_token_was_handed_out_no_longer_holds_up_local_waiters()
    {
        var name = Name();
        var databases = Masters(3);
        var redlock = new Redlock(name, databases, autoReleaseTime: TimeSpan.FromMinutes(10)) { Fenced = true };
        var held = await redlock.AcquireAsync();
        var waiting = redlock.AcquireAsync(Deadline).AsTask();

        // As a job queue's worker would, with the token it was given.
        await new Redlock(name, databases).ReleaseAsync(held.Token);

        await using var next = await waiting.WaitAsync(Deadline);
        Assert.True(next.FencingToken > held.FencingToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Sixteen_local_callers_with_fresh_locks_and_another_process_never_overlap(int masterCount)
    {
        var name = Name();
        var counter = TestKeys.Unique("counter");
        var databases = Masters(masterCount);
        var endpoints = string.Join(',', masters.Masters.Servers.Take(masterCount).Select(s => s.Endpoint));
        using var process = LockWorkerProcess.Start("count", name, counter.ToString(), "100", endpoints);
        var local = 0;

        // The local callers keep contending until the other process is done, so it must get its turns among them.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20 || !process.FirstLine.IsCompleted; i++)
            {
                // A fresh description per cycle, as [Synchronize] wrappers make them.
                await using (await new Redlock(name, databases).AcquireAsync())
                {
                    // Deliberately not atomic: only the lock keeps increments from being lost.
                    var value = (long)await databases[0].StringGetAsync(counter);
                    await databases[0].StringSetAsync(counter, value + 1);
                    Interlocked.Increment(ref local);
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal("DONE", await process.FirstLine);
        Assert.Equal(local + 100, (long)await databases[0].StringGetAsync(counter));
        Assert.False(LocalLockQueue.IsOpen(new Redlock(name, databases).LocalQueue));
        foreach (var master in databases)
        {
            await PubSub.NoneLeftAsync(master, "redlock:" + name);
        }
    }

    [Fact]
    public async Task Nothing_is_left_per_key_after_many_contended_keys()
    {
        var databases = Masters(1);
        var names = Enumerable.Range(0, 20).Select(_ => Name()).ToArray();

        await Task.WhenAll(names.SelectMany(name => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using (await new Redlock(name, databases).AcquireAsync(Deadline))
                {
                }
            }
        })))).WaitAsync(Deadline);

        Assert.All(names, name => Assert.False(LocalLockQueue.IsOpen(new Redlock(name, databases).LocalQueue)));
        await PubSub.NoneLeftAsync(databases[0], [.. names.Select(name => (RedisKey)("redlock:" + name))]);
    }

    [Fact]
    public async Task Different_database_objects_for_the_same_servers_get_different_queues_and_still_exclude_each_other()
    {
        var name = Name();
        var prefixed = masters.Databases.Take(3).Select(db => db.WithKeyPrefix("tenant:")).ToArray();
        var otherwise = masters.Databases.Take(3).Select(db => db.WithKeyPrefix("tenant:")).ToArray();
        var holder = await new Redlock(name, prefixed) { Fenced = true }.AcquireAsync();

        var waiting = new Redlock(name, otherwise) { Fenced = true }.AcquireAsync(Deadline).AsTask();
        Assert.Equal(0, LocalLockQueue.Waiting(new Redlock(name, otherwise).LocalQueue));
        Assert.Null(await new Redlock(name, otherwise).TryAcquireAsync(TimeSpan.FromMilliseconds(100)));

        holder.Dispose();
        await using var next = await waiting.WaitAsync(Deadline);
        Assert.True(next.FencingToken > holder.FencingToken);
    }

    private static Task<bool> WaitingAsync(Redlock redlock, int count) =>
        Eventually.SucceedsAsync(() => Task.FromResult(LocalLockQueue.Waiting(redlock.LocalQueue) == count ? true : throw new InvalidOperationException($"{LocalLockQueue.Waiting(redlock.LocalQueue)} waiting, not {count}")), Deadline);
}

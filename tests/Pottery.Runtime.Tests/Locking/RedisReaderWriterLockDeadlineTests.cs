using Pottery.Testing.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>
/// A timed read or write ends at its deadline, whether it waits for a holder or for a server that
/// does not answer (frozen with SIGSTOP): the timeout covers the whole call. Each test starts its
/// own server, since it may pause it.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class RedisReaderWriterLockDeadlineTests(ITestOutputHelper output)
{
    // What a deadline may be overshot by, as for locks.
    private static readonly TimeSpan Allowance = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task A_timed_read_or_write_waiting_for_a_holder_ends_at_its_deadline()
    {
        await using var masters = await RedisMasters.StartAsync(1);
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), masters.Databases[0], TimeSpan.FromMinutes(2));
        await WarmUpAsync(rwlock);

        var writer = await rwlock.AcquireWriteAsync();
        var (error, took) = await Timed(() => rwlock.AcquireReadAsync(Timeout).AsTask());
        Assert.IsType<TimeoutException>(error);
        Within(Timeout + Allowance, took, "AcquireReadAsync behind a writer");
        (error, took) = await Timed(() => rwlock.AcquireWriteAsync(Timeout).AsTask());
        Assert.IsType<TimeoutException>(error);
        Within(Timeout + Allowance, took, "AcquireWriteAsync behind a writer");
        await writer.ReleaseAsync();

        var reader = await rwlock.AcquireReadAsync();
        (error, took) = await Timed(async () => Assert.Null(await rwlock.TryAcquireWriteAsync(Timeout)));
        Assert.Null(error);
        Within(Timeout + Allowance, took, "TryAcquireWriteAsync behind a reader");
        await reader.ReleaseAsync();
    }

    [Fact]
    public async Task A_timed_read_or_write_on_a_paused_server_ends_at_its_deadline()
    {
        await using var masters = await RedisMasters.StartAsync(1);
        var rwlock = new RedisReaderWriterLock(TestKeys.Unique("rw").ToString(), masters.Databases[0]);
        await WarmUpAsync(rwlock);
        using (masters.Pause(0))
        {
            var (error, took) = await Timed(() => rwlock.AcquireWriteAsync(Timeout).AsTask());
            Assert.IsType<TimeoutException>(error);
            Within(Timeout + Allowance, took, "AcquireWriteAsync on a paused server");
            (error, took) = await Timed(() => rwlock.AcquireReadAsync(Timeout).AsTask());
            Assert.IsType<TimeoutException>(error);
            Within(Timeout + Allowance, took, "AcquireReadAsync on a paused server");
        }
    }

    // The first calls compile the paths (JIT) and load the scripts; the measured calls are not the first.
    private static async Task WarmUpAsync(RedisReaderWriterLock rwlock)
    {
        await (await rwlock.AcquireReadAsync()).ReleaseAsync();
        await (await rwlock.AcquireWriteAsync()).ReleaseAsync();
        var writer = await rwlock.AcquireWriteAsync();
        Assert.Null(await rwlock.TryAcquireReadAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Null(await rwlock.TryAcquireWriteAsync(TimeSpan.FromMilliseconds(50)));
        await writer.ReleaseAsync();
    }

    private static Task<(Exception? Error, TimeSpan Took)> Timed(Func<Task> call) => DeadlineCheck.TimedAsync(call);

    private void Within(TimeSpan bound, TimeSpan took, string what) => DeadlineCheck.Within(output, bound, took, what);
}

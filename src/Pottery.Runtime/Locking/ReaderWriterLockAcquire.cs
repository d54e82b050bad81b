using System.Diagnostics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Acquiring, extending and giving back reads and writes of a <see cref="RedisReaderWriterLock"/>.
/// An acquire tries with one script; a caller that may wait then waits the one way
/// (<see cref="LeaseAcquire"/>): a writer stands in the writers' line and is woken when the
/// announcement on <see cref="Writable"/> names it, first in line; readers are woken all together on <see cref="Readable"/>. A call that
/// ends without the lock leaves the line, undoing a try it stopped waiting for.
/// </summary>
internal static class ReaderWriterLockAcquire
{
    /// <summary>The channel suffix announcing that the lock may be free for the first waiting writer.</summary>
    public const string Writable = ":writable";

    /// <summary>The channel suffix announcing that no writer holds or waits any more.</summary>
    public const string Readable = ":readable";

    /// <summary>Acquires a read or the write within <paramref name="timeout"/>: <see cref="TimeSpan.Zero"/> for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    /// <returns>The acquisition, or null at the timeout unless <paramref name="throwAtTimeout"/>.</returns>
    /// <exception cref="TimeoutException">The deadline passed and <paramref name="throwAtTimeout"/> is set.</exception>
    public static async ValueTask<RedisReaderWriterLockHandle?> RunAsync(RedisReaderWriterLock rwlock, bool write, TimeSpan timeout, bool throwAtTimeout, CancellationToken cancellationToken)
    {
        var observation = LockAcquireObservation.Start(rwlock.Name, rwlock.Database.Database, write ? LockKinds.Write : LockKinds.Read);
        try
        {
            var deadline = Deadline.After(timeout);
            var token = LockTokens.Next();
            var lease = (long)rwlock.LeaseTime.TotalMilliseconds;
            RedisValue[] values = write
                ? [Writable, Readable, token, lease, deadline.IsNow ? 0 : (long)rwlock.WaiterLease.TotalMilliseconds]
                : [Writable, Readable, token, lease];
            var state = new Try(rwlock, write ? ReaderWriterLockScripts.AcquireWrite : ReaderWriterLockScripts.AcquireRead, values);
            var grantedAt = await LeaseAcquire.RunAsync(rwlock.Database, rwlock.Key, write ? Writable : Readable, write ? WakeMode.Addressed : WakeMode.All, rwlock.RetryDelay, deadline, state, TryAsync, static s => Abandon(s.Lock, s.Values[2]), observation, cancellationToken, write ? token : default).ConfigureAwait(false);
            if (grantedAt != 0)
            {
                var handle = new RedisReaderWriterLockHandle(rwlock, token, write, grantedAt);
                observation?.Returned(acquired: true);
                return handle;
            }

            if (throwAtTimeout)
            {
                throw new TimeoutException($"Could not acquire {(write ? "the write lock" : "a read")} of the reader-writer lock '{rwlock.Name}' {(timeout == TimeSpan.Zero ? "in a single try" : $"within {timeout}")}.{(write ? " A write waits for every read, the caller's own included: a read is never upgraded, so release it first." : "")}");
            }

            observation?.Returned(acquired: false);
            return null;
        }
        catch (Exception error) when (observation is not null)
        {
            observation.Threw(error);
            throw;
        }
    }

    /// <summary>Resets a read's or the write's lease to the lock's lease time; false when it is no longer held.</summary>
    public static ValueTask<bool> ExtendAsync(RedisReaderWriterLock rwlock, string token, bool write, CancellationToken cancellationToken)
    {
        // A lease in a sorted set scored by its end is renewed as a semaphore's permit is.
        var held = write ? rwlock.WriterKey : rwlock.Key;
        return RedisCall.Script(rwlock.Database, held, RedisType.SortedSet, SemaphoreScripts.Extend, [held], [token, (long)rwlock.LeaseTime.TotalMilliseconds], 0, static (reply, _, _) => (int)reply >= 0, cancellationToken);
    }

    /// <summary>Gives a read or the write back and announces what it freed; false when it was no longer held.</summary>
    public static ValueTask<bool> ReleaseAsync(RedisReaderWriterLock rwlock, string token, bool write, CancellationToken cancellationToken) =>
        RedisCall.Script(rwlock.Database, rwlock.Key, RedisType.SortedSet, ReaderWriterLockScripts.Release, rwlock.Keys, ReleaseValues(token, write), 0, static (reply, _, _) => (int)reply == 1, cancellationToken);

    /// <summary>Gives a read or the write back without waiting for the reply.</summary>
    public static void ReleaseInBackground(RedisReaderWriterLock rwlock, string token, bool write) =>
        LeaseAcquire.InBackground(rwlock.Database, ReaderWriterLockScripts.Release, rwlock.Keys, ReleaseValues(token, write));

    private static RedisValue[] ReleaseValues(string token, bool write) => [Writable, Readable, token, write ? 2 : 1];

    // One try; when it was sent if granted, else 0.
    private static async ValueTask<long> TryAsync(Try state, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var granted = await RedisCall.Script(state.Lock.Database, state.Lock.Key, RedisType.SortedSet, state.Script, state.Lock.Keys, state.Values, 0, static (reply, _, _) => (int)reply == 1, cancellationToken).ConfigureAwait(false);
        return granted ? start : 0;
    }

    private static void Abandon(RedisReaderWriterLock rwlock, RedisValue token) =>
        LeaseAcquire.InBackground(rwlock.Database, ReaderWriterLockScripts.Abandon, rwlock.Keys, [Writable, Readable, token]);

    private readonly record struct Try(RedisReaderWriterLock Lock, RedisScript Script, RedisValue[] Values);
}

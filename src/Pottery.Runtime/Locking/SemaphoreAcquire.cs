using System.Diagnostics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Acquiring, extending and giving back permits of a <see cref="RedisSemaphore"/>. An acquire tries
/// with one script; a caller that may wait then stands in the semaphore's line and waits the one way
/// (<see cref="LeaseAcquire"/>): it tries again when a release is announced or after
/// <see cref="RedisSemaphore.RetryDelay"/>, each try renewing its place. A call that ends
/// without a permit leaves the line, undoing a try it stopped waiting for.
/// </summary>
internal static class SemaphoreAcquire
{
    /// <summary>The channel suffix a release announces on, after the semaphore's key.</summary>
    public const string Released = ":released";

    /// <summary>Acquires a permit within <paramref name="timeout"/>: <see cref="TimeSpan.Zero"/> for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    /// <returns>The permit, or null at the timeout unless <paramref name="throwAtTimeout"/>.</returns>
    /// <exception cref="TimeoutException">The deadline passed and <paramref name="throwAtTimeout"/> is set.</exception>
    public static async ValueTask<RedisSemaphoreHandle?> RunAsync(RedisSemaphore semaphore, TimeSpan timeout, bool throwAtTimeout, CancellationToken cancellationToken)
    {
        var observation = LockAcquireObservation.Start(semaphore.Name, semaphore.Database.Database, LockKinds.Semaphore);
        LocalLockQueue? queue = null;
        Attempt? attempt = null;
        string? handed = null;
        try
        {
            var deadline = Deadline.After(timeout);
            cancellationToken.ThrowIfCancellationRequested();
            var entering = LocalLockQueue.EnterAsync(semaphore.LocalQueue, deadline, cancellationToken);
            if (observation is not null && !entering.IsCompleted)
            {
                // Waiting for a turn means other acquirers of this process hold or try every permit.
                observation.Contended();
            }

            var turn = await entering.ConfigureAwait(false);
            queue = turn.Queue;
            handed = turn.Handed?.Token;
            var grantedAt = 0L;
            string? token = null;
            var kept = queue is not null && turn.Handed is { KeptUntil: not 0 };
            if (kept)
            {
                // A holder of this process passed its permit on as it is; a caller that stopped
                // waiting meanwhile gives it back (below). The lease renews without waiting.
                cancellationToken.ThrowIfCancellationRequested();
                (token, handed) = (handed, null);
                grantedAt = LeaseClock.StartOf(turn.Handed!.Value.KeptUntil, semaphore.Validity);
            }
            else if (queue is not null)
            {
                var leaseMs = (long)semaphore.LeaseTime.TotalMilliseconds;

                // The lease rides in the token, so that a release can grant this waiter its own lease.
                token = LockTokens.Next() + ":" + leaseMs;
                RedisValue[] values = [token, semaphore.Permits, leaseMs, deadline.IsNow ? 0 : (long)semaphore.WaiterLease.TotalMilliseconds, Released];
                attempt = new Attempt(semaphore, queue, values, handed);
                grantedAt = await LeaseAcquire.RunAsync(semaphore.Database, semaphore.Key, Released, WakeMode.Addressed, semaphore.RetryDelay, deadline, attempt, TryAsync, static a => Abandon(a.Semaphore, (string)a.Values[0]!), observation, cancellationToken, token, GrantedAt).ConfigureAwait(false);
            }
            else
            {
                observation?.Contended();
            }

            if (grantedAt != 0)
            {
                var handle = new RedisSemaphoreHandle(semaphore, token!, grantedAt, queue);
                queue = null;
                if (kept)
                {
                    handle.RenewInBackground();
                }

                observation?.Returned(acquired: true);
                return handle;
            }

            if (throwAtTimeout)
            {
                throw new TimeoutException($"Could not acquire a permit of the semaphore '{semaphore.Name}' ({semaphore.Permits} permits) {(timeout == TimeSpan.Zero ? "in a single try" : $"within {timeout}")}.");
            }

            observation?.Returned(acquired: false);
            return null;
        }
        catch (Exception error) when (observation is not null)
        {
            observation.Threw(error);
            throw;
        }
        finally
        {
            if (handed is not null && (attempt is null || attempt.Handed is not null))
            {
                // The permit a holder of this process handed over with its turn, which no try gave back.
                ReleaseInBackground(semaphore, handed);
            }

            queue?.Leave(null);
        }
    }

    /// <summary>Resets a permit's lease to the semaphore's lease time, telling <paramref name="queue"/> whether anyone waits in the server's line; false when it is no longer held.</summary>
    public static ValueTask<bool> ExtendAsync(RedisSemaphore semaphore, string token, LocalLockQueue? queue, CancellationToken cancellationToken) =>
        RedisCall.Script(semaphore.Database, semaphore.Key, RedisType.SortedSet, SemaphoreScripts.Extend, semaphore.Keys, [token, (long)semaphore.LeaseTime.TotalMilliseconds], (Queue: queue, AskedAt: Stopwatch.GetTimestamp()), static (reply, asked, _) =>
        {
            var waiting = (int)reply;
            if (waiting >= 0)
            {
                asked.Queue?.LineAnswered(asked.AskedAt, empty: waiting == 0);
            }

            return waiting >= 0;
        }, cancellationToken);

    /// <summary>Gives a permit back and announces it; false when it was no longer held.</summary>
    public static ValueTask<bool> ReleaseAsync(RedisSemaphore semaphore, string token, CancellationToken cancellationToken) =>
        RedisCall.Script(semaphore.Database, semaphore.Key, RedisType.SortedSet, SemaphoreScripts.Release, semaphore.Keys, [token, Released, semaphore.Permits], 0, static (reply, _, _) => (int)reply == 1, cancellationToken);

    /// <summary>
    /// Gives a permit back without waiting for the reply. Commands on a connection run in order, so
    /// whatever the caller sends next still comes after it.
    /// </summary>
    public static void ReleaseInBackground(RedisSemaphore semaphore, string token) =>
        LeaseAcquire.InBackground(semaphore.Database, SemaphoreScripts.Release, semaphore.Keys, [token, Released, semaphore.Permits]);

    // One try; when it was sent if granted, else 0.
    private static async ValueTask<long> TryAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var values = attempt.Values;
        if (attempt.Handed is { } handed)
        {
            // The first try gives back the permit handed over with the turn (a fresh array: the first may still be being sent).
            attempt.Handed = null;
            values = [.. values, handed];
        }

        var granted = await RedisCall.Script(attempt.Semaphore.Database, attempt.Semaphore.Key, RedisType.SortedSet, SemaphoreScripts.Acquire, attempt.Semaphore.Keys, values, (attempt.Queue, AskedAt: start), static (reply, asked, _) =>
        {
            var answer = (RedisResult[])reply!;
            asked.Queue.LineAnswered(asked.AskedAt, empty: (int)answer[1] == 0);
            return (int)answer[0] == 1;
        }, cancellationToken).ConfigureAwait(false);
        if (granted)
        {
            return start;
        }

        attempt.RefusedAt = start;
        return 0;
    }

    // A release granted this waiter the permit after its last (refused) try reached the server, so the
    // lease counts from that try; one so old that little of the lease would be left is confirmed by a try, which renews it.
    private static long GrantedAt(Attempt attempt) =>
        Stopwatch.GetElapsedTime(attempt.RefusedAt) < attempt.Semaphore.Validity / 2 ? attempt.RefusedAt : 0;

    private static void Abandon(RedisSemaphore semaphore, string token) =>
        LeaseAcquire.InBackground(semaphore.Database, SemaphoreScripts.Abandon, semaphore.Keys, [token, semaphore.Permits, Released]);

    // What one acquire's tries share: this process's queue, the script's arguments, a permit the first try gives back, and when the last refused try was sent.
    private sealed class Attempt(RedisSemaphore semaphore, LocalLockQueue queue, RedisValue[] values, string? handed)
    {
        public RedisSemaphore Semaphore { get; } = semaphore;

        public LocalLockQueue Queue { get; } = queue;

        public RedisValue[] Values { get; } = values;

        // Set until a try takes it.
        public string? Handed { get; set; } = handed;

        public long RefusedAt { get; set; }
    }
}

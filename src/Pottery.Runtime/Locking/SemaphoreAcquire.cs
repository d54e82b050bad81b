using System.Diagnostics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Acquiring, extending and giving back permits of a <see cref="RedisSemaphore"/>. An acquire tries
/// with one script; a caller that may wait then stands in the semaphore's line, listens for release
/// announcements (<see cref="WakeUpListener"/>) and tries again when one comes or after a random pause
/// of up to <see cref="RedisSemaphore.RetryDelay"/>, each try renewing its place. A call that ends
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
        var deadline = Deadline.After(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        var token = LockTokens.Next();
        RedisValue[] values = [token, semaphore.Permits, (long)semaphore.LeaseTime.TotalMilliseconds, deadline.IsNow ? 0 : (long)semaphore.WaiterLease.TotalMilliseconds, Released];
        WakeUpListener? listener = null;
        bool acquired = false, trying = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = Stopwatch.GetTimestamp();
                trying = true;
                var granted = await TryAsync(semaphore, values, cancellationToken).ConfigureAwait(false);
                trying = false;
                if (granted)
                {
                    acquired = true;
                    return new RedisSemaphoreHandle(semaphore, token, start);
                }

                var remaining = deadline.Remaining;
                if (remaining <= TimeSpan.Zero)
                {
                    return throwAtTimeout
                        ? throw new TimeoutException($"Could not acquire a permit of the semaphore '{semaphore.Name}' ({semaphore.Permits} permits) {(timeout == TimeSpan.Zero ? "in a single try" : $"within {timeout}")}.")
                        : null;
                }

                if (listener is null)
                {
                    // The first wait starts listening and tries once more, so a release that came
                    // before the subscription was live is not missed.
                    listener = new WakeUpListener();
                    try
                    {
                        await listener.ListenAsync(semaphore.Database, semaphore.Key, Released, WakeMode.One).WaitAsync(deadline.Cap(semaphore.RetryDelay), cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        // The subscription goes on without the caller; the pauses end its waits meanwhile.
                    }

                    continue;
                }

                var pause = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * semaphore.RetryDelay.TotalMilliseconds);
                await listener.WaitAsync(pause < remaining ? pause : remaining, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            listener?.Dispose();
            if (!acquired && (trying || !deadline.IsNow))
            {
                // A timed call may stand in line, and a try the caller stopped waiting for may still be granted.
                Abandon(semaphore, token);
            }
        }
    }

    /// <summary>Resets a permit's lease to the semaphore's lease time; false when it is no longer held.</summary>
    public static ValueTask<bool> ExtendAsync(RedisSemaphore semaphore, string token, CancellationToken cancellationToken) =>
        RedisCall.Script(semaphore.Database, semaphore.Key, RedisType.SortedSet, SemaphoreScripts.Extend, [semaphore.Key], [token, (long)semaphore.LeaseTime.TotalMilliseconds], 0, static (reply, _, _) => (int)reply == 1, cancellationToken);

    /// <summary>Gives a permit back and announces it; false when it was no longer held.</summary>
    public static ValueTask<bool> ReleaseAsync(RedisSemaphore semaphore, string token, CancellationToken cancellationToken) =>
        RedisCall.Script(semaphore.Database, semaphore.Key, RedisType.SortedSet, SemaphoreScripts.Release, [semaphore.Key], [token, Released], 0, static (reply, _, _) => (int)reply == 1, cancellationToken);

    /// <summary>
    /// Gives a permit back without waiting for the reply. Commands on a connection run in order, so
    /// whatever the caller sends next still comes after it.
    /// </summary>
    public static void ReleaseInBackground(RedisSemaphore semaphore, string token) =>
        InBackground(semaphore, SemaphoreScripts.Release, [semaphore.Key], [token, Released]);

    private static ValueTask<bool> TryAsync(RedisSemaphore semaphore, RedisValue[] values, CancellationToken cancellationToken) =>
        RedisCall.Script(semaphore.Database, semaphore.Key, RedisType.SortedSet, SemaphoreScripts.Acquire, semaphore.Keys, values, 0, static (reply, _, _) => (int)reply == 1, cancellationToken);

    private static void Abandon(RedisSemaphore semaphore, string token) =>
        InBackground(semaphore, SemaphoreScripts.Abandon, semaphore.Keys, [token, semaphore.Permits, Released]);

    // Fire-and-forget, so sent by source and left to StackExchange.Redis' own script cache.
    private static void InBackground(RedisSemaphore semaphore, RedisScript script, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            semaphore.Database.ScriptEvaluate(script.Source, keys, values, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // A server that cannot be reached lets the lease (or the waiter's place) lapse on its own.
        }
    }
}

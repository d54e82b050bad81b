using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The acquiring loop of every leased primitive on one database (a semaphore's permit, a
/// reader-writer lock's read or write): one try; a caller that may wait then waits the one way
/// (<see cref="WakeUpWait"/>), trying again on each announcement on the primitive's channel or
/// after its retry delay. A call that ends without a grant (timed out, cancelled, failed) is
/// undone, since a try it stopped waiting for may still have been granted.
/// </summary>
internal static class LeaseAcquire
{
    /// <summary>Tries until a try is granted or <paramref name="deadline"/> passes.</summary>
    /// <param name="database">The primitive's database.</param>
    /// <param name="key">The primitive's key; announcements come on its channel <paramref name="suffix"/>.</param>
    /// <param name="suffix">The channel suffix announcing a chance for this caller.</param>
    /// <param name="mode">Whom one announcement wakes.</param>
    /// <param name="retryDelay">The longest pause between tries without an announcement.</param>
    /// <param name="deadline">When the whole call gives up; <see cref="Deadline.IsNow"/> for a single try.</param>
    /// <param name="state">What <paramref name="tryAsync"/> and <paramref name="abandon"/> need.</param>
    /// <param name="tryAsync">One try: when it was sent (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) if granted, else 0.</param>
    /// <param name="abandon">Undoes the call without waiting: leaves the line and gives back a grant nobody waits for.</param>
    /// <param name="observation">Told when the first try is refused (contention); null while nobody listens.</param>
    /// <param name="cancellationToken">Stops waiting; the call is undone.</param>
    /// <param name="address">The caller's token, which a <see cref="WakeMode.Addressed"/> announcement names.</param>
    /// <param name="granted">
    /// For a primitive whose announcement grants the waiter it names: when the grant counts from (a
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp no later than the grant on the server),
    /// or 0 to confirm it with a try. Null: an announcement is only a chance to try.
    /// </param>
    /// <returns>When the granted try was sent, or 0 when the deadline passed first.</returns>
    public static async ValueTask<long> RunAsync<TState>(IDatabase database, RedisKey key, string suffix, WakeMode mode, TimeSpan retryDelay, Deadline deadline, TState state, Func<TState, CancellationToken, ValueTask<long>> tryAsync, Action<TState> abandon, LockAcquireObservation? observation, CancellationToken cancellationToken, RedisValue address = default, Func<TState, long>? granted = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var bounded = deadline.Bound(cancellationToken);
        var callToken = bounded?.Token ?? cancellationToken;

        // When the granted try was sent (0: none was granted); a single try that was refused leaves nothing to undo.
        var grantedAt = 0L;
        var refusedOnce = false;

        // Where other waiters of this process keep the channel live, listening first costs nothing and
        // spares the try that listening late needs (a release between the try and the listening).
        var listened = deadline.IsNow ? null : WakeUpChannel.TryListenLive(database, key, suffix, address);

        try
        {
            grantedAt = await tryAsync(state, callToken).ConfigureAwait(false);
            refusedOnce = grantedAt == 0 && deadline.IsNow;
            if (grantedAt == 0)
            {
                // Refused: someone else holds what this caller asked for, or stands before it in line.
                observation?.Contended();
            }

            if (grantedAt == 0 && !deadline.IsNow)
            {
                var handedOver = listened;
                listened = null;
                grantedAt = await WakeUpWait.UntilAsync(database, key, suffix, mode, deadline, retryDelay, state, tryAsync, static at => at != 0, null, callToken, address, handedOver, granted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (Deadline.Reached(bounded, cancellationToken))
        {
            // Timed out: the caller answers with null or a TimeoutException.
        }
        finally
        {
            listened?.Dispose();
            if (grantedAt == 0 && !refusedOnce)
            {
                // A waiter may stand in line, and a try the caller stopped waiting for may still be granted.
                abandon(state);
            }
        }

        return grantedAt;
    }

    /// <summary>A leased primitive's lease time, checked: <paramref name="leaseTime"/>, or <paramref name="fallback"/> when none is given.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not above the clock drift allowance (1% of it plus 2 ms), or longer than about 24.8 days.</exception>
    public static TimeSpan CheckedLeaseTime(TimeSpan? leaseTime, TimeSpan fallback)
    {
        var value = leaseTime ?? fallback;
        return value > Redlock.DriftOf(value) && value <= Redlock.LongestDuration
            ? value
            : throw new ArgumentOutOfRangeException(nameof(leaseTime), value, "The lease time must exceed the clock drift allowance (1% of it plus 2 ms) and be at most int.MaxValue milliseconds.");
    }

    /// <summary>How long a waiter keeps its place in line without trying again: four retry delays plus one second.</summary>
    public static TimeSpan WaiterLeaseFor(TimeSpan retryDelay) => retryDelay * 4 + TimeSpan.FromSeconds(1);

    /// <summary>A leased primitive's retry delay, checked: positive, and short enough that the waiter's lease (four of them and a second) is a valid duration.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or longer than about 24.8 days / 8.</exception>
    public static TimeSpan CheckedRetryDelay(TimeSpan value) =>
        value > TimeSpan.Zero && value <= Redlock.LongestDuration / 8
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The retry delay must be positive and at most int.MaxValue / 8 milliseconds.");

    /// <summary>
    /// Runs a script without waiting for the reply (a release at a scope's end, an abandoned
    /// acquire). Commands on a connection run in order, so whatever the caller sends next still
    /// comes after it.
    /// </summary>
    public static void InBackground(IDatabase database, RedisScript script, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            // Fire-and-forget, so sent by source and left to StackExchange.Redis' own script cache.
            database.ScriptEvaluate(script.Source, keys, values, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // A server that cannot be reached lets the lease (or the waiter's place) lapse on its own.
        }
    }
}

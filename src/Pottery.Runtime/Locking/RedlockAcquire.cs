using System.Diagnostics;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Acquiring a <see cref="Redlock"/>: first this process's turn (<see cref="LocalLockQueue"/>: local
/// acquirers wait in line and are handed the lock's queue by the holder), then tries until one wins
/// a quorum in time or the deadline passes. Between tries the acquirer listens for release
/// announcements from other processes (<see cref="WakeUpListener"/>) and otherwise retries after a
/// random pause of up to <see cref="Redlock.RetryDelay"/>, as pottery does; an uncontended acquire
/// never listens.
/// </summary>
internal static class RedlockAcquire
{
    /// <summary>The channel suffix a release announces on, after the lock's key.</summary>
    public const string Released = ":released";

    /// <summary>
    /// Acquires <paramref name="redlock"/> as <see cref="RunAsync"/> does, observed (a span, metrics)
    /// only while someone listens: otherwise the call is <see cref="RunAsync"/> itself.
    /// </summary>
    public static ValueTask<RedlockHandle?> StartAsync(Redlock redlock, TimeSpan timeout, bool throwAtTimeout, CancellationToken cancellationToken) =>
        LockAcquireObservation.Start(redlock) is { } observation
            ? ObservedAsync(redlock, timeout, throwAtTimeout, observation, cancellationToken)
            : RunAsync(redlock, timeout, throwAtTimeout, null, cancellationToken);

    /// <summary>
    /// Acquires <paramref name="redlock"/> within <paramref name="timeout"/>: <see cref="TimeSpan.Zero"/>
    /// for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit. The timeout bounds the whole
    /// call, rounds included.
    /// </summary>
    /// <returns>The acquisition, or null at the timeout unless <paramref name="throwAtTimeout"/>.</returns>
    /// <exception cref="TimeoutException">The deadline passed and <paramref name="throwAtTimeout"/> is set.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    // Pooled, because every lock scope comes through here and it seldom completes synchronously.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<RedlockHandle?> RunAsync(Redlock redlock, TimeSpan timeout, bool throwAtTimeout, LockAcquireObservation? observation, CancellationToken cancellationToken)
    {
        var deadline = Deadline.After(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        var entering = LocalLockQueue.EnterAsync(redlock.LocalQueue, deadline, cancellationToken);
        if (observation is not null && !entering.IsCompleted)
        {
            // Waiting in this process's line means another acquirer of the process holds or tries the lock.
            observation.Contended();
        }

        var queue = (await entering.ConfigureAwait(false)).Queue;
        if (queue is null)
        {
            observation?.Contended();
            return TimedOut(redlock, timeout, throwAtTimeout);
        }

        WakeUpListener? listener = null;

        // Which masters answered a try of this call, and when its first try was sent, for what the last try reports.
        bool[]? answered = null;
        var firstTry = 0L;
        try
        {
            while (true)
            {
                // One try, written out in the loop so that its common path awaits nothing but the round.
                cancellationToken.ThrowIfCancellationRequested();
                var attempt = RedlockAttempt.Send(redlock);
                firstTry = firstTry == 0 ? attempt.Start : firstTry;
                try
                {
                    await attempt.Decided().WaitAsync(RoundWait(redlock, deadline), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Masters may still grant this token after the caller gave up; the undo goes behind it on each connection.
                    RedlockRelease.Undo(redlock, attempt.Token);
                    throw;
                }
                catch (Exception error) when (error is RedisException or TimeoutException)
                {
                    // Counted below: only the masters that granted in time take part.
                }
                finally
                {
                    attempt.ObserveFailures();
                }

                if (attempt.Won(out var fence) && (attempt.FenceAgreed(fence) || await FenceRaisedAsync(attempt, fence, RoundWait(redlock, deadline)).ConfigureAwait(false)))
                {
                    var handle = new RedlockHandle(redlock, attempt.Token, attempt.Start, fence, queue);
                    queue = null;
                    return handle;
                }

                if (observation is not null && attempt.Tally().Refused > 0)
                {
                    // A master said no: someone else holds the lock there.
                    observation.Contended();
                }

                // Silent masters are judged on the last try only, and only when they had a fair share of
                // the call: a single try's whole round, or half a timed call's time since its first try.
                // A call that spent its time waiting behind a holder, here or elsewhere, times out plainly.
                var remaining = deadline.Remaining;
                var judgeSilence = remaining <= TimeSpan.Zero && (deadline.IsNow || Stopwatch.GetElapsedTime(firstTry) >= timeout / 2);
                await GiveUpAsync(attempt, judgeSilence, answered, deadline.IsNow ? MasterRounds.Left(redlock.RoundWait, attempt.Start) : TimeSpan.Zero).ConfigureAwait(false);
                if (remaining <= TimeSpan.Zero)
                {
                    return TimedOut(redlock, timeout, throwAtTimeout);
                }

                attempt.NoteAnswers(answered ??= new bool[redlock.Masters.Length]);

                if (listener is null)
                {
                    // The first wait starts listening and tries once more, so a release that came
                    // before the subscription was live is not missed.
                    listener = new WakeUpListener();
                    await ListenAsync(listener, redlock, deadline).ConfigureAwait(false);
                    continue;
                }

                var pause = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * redlock.RetryDelay.TotalMilliseconds);
                await listener.WaitAsync(pause < remaining ? pause : remaining, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            listener?.Dispose();
            queue?.Leave(null);
        }
    }

    private static async ValueTask<RedlockHandle?> ObservedAsync(Redlock redlock, TimeSpan timeout, bool throwAtTimeout, LockAcquireObservation observation, CancellationToken cancellationToken)
    {
        RedlockHandle? handle;
        try
        {
            handle = await RunAsync(redlock, timeout, throwAtTimeout, observation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            observation.Threw(error);
            throw;
        }

        observation.Returned(handle);
        return handle;
    }

    private static RedlockHandle? TimedOut(Redlock redlock, TimeSpan timeout, bool throwAtTimeout) =>
        throwAtTimeout
            ? throw new TimeoutException($"Could not acquire the lock '{redlock.Name}' on a quorum of {redlock.Quorum} of {redlock.Masters.Length} masters {(timeout == TimeSpan.Zero ? "in a single try" : $"within {timeout}")}.")
            : null;

    // A single try (a zero timeout) gets its whole round; otherwise no round outlasts the deadline.
    private static TimeSpan RoundWait(Redlock redlock, Deadline deadline)
    {
        var wait = redlock.RoundWait;
        if (deadline.IsNow || deadline.Remaining == TimeSpan.MaxValue)
        {
            return wait;
        }

        return deadline.Cap(wait == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : wait);
    }

    /// <summary>
    /// Lifts a quorum of masters' counts to at least <paramref name="fence"/> when their counts
    /// disagreed (see <see cref="RedlockAttempt.FenceAgreed"/>). The lift is awaited because a lost
    /// one would let the next holder draw a smaller token.
    /// </summary>
    private static async ValueTask<bool> FenceRaisedAsync(RedlockAttempt attempt, long fence, TimeSpan wait)
    {
        var redlock = attempt.Lock;
        var raised = await MasterRounds.CountAsync(redlock.Masters, RedlockScripts.RaiseFence, redlock.Keys, [fence], redlock.Quorum, wait, CancellationToken.None).ConfigureAwait(false);
        return raised.Agrees && attempt.StillValid;
    }

    /// <summary>
    /// Undoes a try that did not win wherever it did succeed, or still will, and says why when it was
    /// not that someone else holds the lock: a fencing counter of the wrong type, too many masters
    /// failed, or, when <paramref name="judgeSilence"/> (the call's last try), too few could be asked
    /// at all (neither this try nor an earlier one, noted in <paramref name="answered"/>, got their
    /// answer). Silent masters may answer a later try, so only the last one reports them; nobody can
    /// then be said to hold the lock, and "could not ask enough masters" is never reported as "held".
    /// A try decided before its slowest masters answered waits for them within <paramref name="settle"/>
    /// (what is left of a single try's round) when their answers decide which it is.
    /// </summary>
    private static async ValueTask GiveUpAsync(RedlockAttempt attempt, bool judgeSilence, bool[]? answered, TimeSpan settle)
    {
        var redlock = attempt.Lock;
        RedlockRelease.Undo(redlock, attempt.Token);
        if (judgeSilence && settle > TimeSpan.Zero && !attempt.Tally().Settled)
        {
            await attempt.SettleAsync(settle).ConfigureAwait(false);
        }

        if (attempt.WrongTypeFence() is var (master, error))
        {
            throw await RedisErrors.TranslateAsync(error, redlock.Masters[master], redlock.Keys[1], RedisType.String).ConfigureAwait(false);
        }

        var failed = attempt.FailedMasters;
        if (redlock.Masters.Length - failed < redlock.Quorum)
        {
            throw RedlockErrors.Failed(redlock, failed, attempt.FirstFailure);
        }

        if (judgeSilence && attempt.QuorumIsImpossible(answered, out var unreachable))
        {
            throw RedlockErrors.Unanswered(redlock, "acquire", unreachable, attempt.FirstFailure);
        }
    }

    /// <summary>
    /// Listens on every master, since a release is announced on each; one announcement wakes one
    /// waiter. A master that is slow to confirm the subscription (paused, say) is not waited for past
    /// the deadline or one retry pause: the subscription goes on without the caller, and the pauses
    /// end the waits meanwhile.
    /// </summary>
    private static async Task ListenAsync(WakeUpListener listener, Redlock redlock, Deadline deadline)
    {
        var listening = new Task[redlock.Masters.Length];
        for (var i = 0; i < listening.Length; i++)
        {
            listening[i] = listener.ListenAsync(redlock.Masters[i], redlock.Key, Released, WakeMode.One);
        }

        try
        {
            await Task.WhenAll(listening).WaitAsync(deadline.Cap(redlock.RetryDelay)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Listening where it is live already; the rest joins when it can.
        }
    }
}

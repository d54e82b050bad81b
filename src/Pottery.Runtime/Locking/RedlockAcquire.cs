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
    /// Acquires <paramref name="redlock"/> within <paramref name="timeout"/>: <see cref="TimeSpan.Zero"/>
    /// for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit. The timeout bounds the whole
    /// call, rounds included.
    /// </summary>
    /// <returns>The acquisition, or null at the timeout unless <paramref name="throwAtTimeout"/>.</returns>
    /// <exception cref="TimeoutException">The deadline passed and <paramref name="throwAtTimeout"/> is set.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    // Pooled, because every lock scope comes through here and it seldom completes synchronously.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<RedlockHandle?> RunAsync(Redlock redlock, TimeSpan timeout, bool throwAtTimeout, CancellationToken cancellationToken)
    {
        var deadline = Deadline.After(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        var queue = await LocalLockQueue.EnterAsync(redlock, deadline, cancellationToken).ConfigureAwait(false);
        if (queue is null)
        {
            return TimedOut(redlock, timeout, throwAtTimeout);
        }

        WakeUpListener? listener = null;
        try
        {
            while (true)
            {
                // One try, written out in the loop so that its common path awaits nothing but the round.
                cancellationToken.ThrowIfCancellationRequested();
                var attempt = RedlockAttempt.Send(redlock);
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

                var fence = attempt.GrantedFence();
                if (fence > 0 && (attempt.FenceAgreed(fence) || await FenceRaisedAsync(attempt, fence, RoundWait(redlock, deadline)).ConfigureAwait(false)))
                {
                    var handle = new RedlockHandle(redlock, attempt.Token, attempt.Start, fence, queue);
                    queue = null;
                    return handle;
                }

                GiveUp(attempt);
                var remaining = deadline.Remaining;
                if (remaining <= TimeSpan.Zero)
                {
                    return TimedOut(redlock, timeout, throwAtTimeout);
                }

                if (listener is null)
                {
                    // The first wait starts listening and tries once more, so a release that came
                    // before the subscription was live is not missed.
                    listener = await ListenAsync(redlock).ConfigureAwait(false);
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
        return raised >= redlock.Quorum && attempt.StillValid;
    }

    // Not enough masters (or too late): undo wherever the try did succeed, or still will.
    private static void GiveUp(RedlockAttempt attempt)
    {
        var redlock = attempt.Lock;
        RedlockRelease.Undo(redlock, attempt.Token);
        var failed = attempt.FailedMasters;
        if (redlock.Masters.Length - failed < redlock.Quorum)
        {
            throw new QuorumIsImpossibleException($"{failed} of {redlock.Masters.Length} masters failed, so no quorum of {redlock.Quorum} is possible for the lock '{redlock.Name}'.", redlock.Key.ToString());
        }
    }

    // Listens on every master, since a release is announced on each; one announcement wakes one waiter.
    private static async Task<WakeUpListener> ListenAsync(Redlock redlock)
    {
        var listener = new WakeUpListener();
        var listening = new Task[redlock.Masters.Length];
        for (var i = 0; i < listening.Length; i++)
        {
            listening[i] = listener.ListenAsync(redlock.Masters[i], redlock.Key, Released, WakeMode.One);
        }

        try
        {
            await Task.WhenAll(listening).ConfigureAwait(false);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return listener;
    }
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The one waiting loop of everything that waits for a change in Redis (queue gets and puts,
/// <c>Join</c>, events, latches, barriers): try; listen on the structure's channel and try once more; then
/// wait for a wake-up or a bounded pause, and try again, until a try succeeds or the deadline passes.
/// </summary>
internal static class WakeUpWait
{
    private static readonly TimeSpan ShortestPause = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or <paramref name="deadline"/> passes, woken
    /// by announcements on <paramref name="key"/>'s channel <paramref name="suffix"/>; for a caller
    /// whose first attempt already failed. Returns the last attempt's result.
    /// </summary>
    /// <param name="database">The structure's database.</param>
    /// <param name="key">The structure's key.</param>
    /// <param name="suffix">The channel suffix to listen on.</param>
    /// <param name="mode">Whom one announcement wakes.</param>
    /// <param name="deadline">When to give up.</param>
    /// <param name="retryPause">The longest wait without a wake-up before trying again.</param>
    /// <param name="state">What <paramref name="attempt"/> needs.</param>
    /// <param name="attempt">One try, given the token that ends the call.</param>
    /// <param name="succeeded">Whether a try succeeded.</param>
    /// <param name="nextDue">How soon to try again at the latest after a failed try, if sooner than <paramref name="retryPause"/>.</param>
    /// <param name="cancellationToken">Ends the call, at the deadline too where there is one.</param>
    /// <param name="address">What a <see cref="WakeMode.Addressed"/> message names to wake this caller.</param>
    /// <param name="listened">A listener that joined the channel live before the caller's failed try (<see cref="WakeUpChannel.TryListenLive"/>): the wait starts at once, with no second try. Disposed here.</param>
    /// <param name="named">
    /// What a wake-up by a <see cref="WakeMode.Addressed"/> message naming this caller means without a
    /// try, where the announcer acted for it (a release that granted it the permit); a result that
    /// has not <paramref name="succeeded"/> means "try all the same". Null: every wake-up is a try.
    /// </param>
    /// <returns>The last try's result.</returns>
    public static async ValueTask<TResult> UntilAsync<TState, TResult>(IDatabase database, RedisKey key, string suffix, WakeMode mode, Deadline deadline, TimeSpan retryPause, TState state, Func<TState, CancellationToken, ValueTask<TResult>> attempt, Func<TResult, bool> succeeded, Func<TResult, TimeSpan?>? nextDue, CancellationToken cancellationToken, RedisValue address = default, WakeUpListener? listened = null, Func<TState, TResult>? named = null)
    {
        var listener = listened ?? new WakeUpListener(address);
        var listening = listened is null ? listener.ListenAsync(database, key, suffix, mode) : Task.CompletedTask;
        try
        {
            // Subscribing waits for the server too, so it waits no longer than the call may.
            await listening.WaitAsync(cancellationToken).ConfigureAwait(false);
            var wait = listened is not null;
            var pause = retryPause;
            while (true)
            {
                if (wait)
                {
                    await listener.WaitAsync(deadline.Cap(pause), cancellationToken).ConfigureAwait(false);
                    if (named is not null && listener.TakeNamed() && named(state) is var granted && succeeded(granted))
                    {
                        return granted;
                    }
                }

                wait = true;
                cancellationToken.ThrowIfCancellationRequested();

                // A naming that came before this try is answered by it, since the try runs after that grant on the server.
                if (named is not null)
                {
                    listener.TakeNamed();
                }
                var result = await attempt(state, cancellationToken).ConfigureAwait(false);
                if (succeeded(result) || deadline.HasPassed)
                {
                    return result;
                }

                pause = nextDue?.Invoke(result) is { } due && due < retryPause ? (due < ShortestPause ? ShortestPause : due) : retryPause;
            }
        }
        finally
        {
            // A listener leaves its channels on dispose, so it is disposed once it has joined them.
            if (listening.IsCompleted)
            {
                listener.Dispose();
            }
            else
            {
                _ = listening.ContinueWith(static (_, l) => ((WakeUpListener)l!).Dispose(), listener, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Reads until <paramref name="done"/> says so or <paramref name="deadline"/> passes, for a call
    /// that waits for a state rather than takes something (an event set, a latch open): one read, then
    /// <see cref="UntilAsync"/>. Reaching the deadline is an answer, not an error.
    /// </summary>
    /// <returns>Whether the state was reached in time.</returns>
    public static async ValueTask<bool> ForAsync<TState, TResult>(IDatabase database, RedisKey key, string suffix, Deadline deadline, TimeSpan retryPause, TState state, Func<TState, CancellationToken, ValueTask<TResult>> read, Func<TResult, bool> done, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var bounded = deadline.Bound(cancellationToken);
        var token = bounded?.Token ?? cancellationToken;
        try
        {
            var now = await read(state, token).ConfigureAwait(false);
            if (done(now) || deadline.IsNow)
            {
                return done(now);
            }

            return done(await UntilAsync(database, key, suffix, WakeMode.All, deadline, retryPause, state, read, done, null, token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (Deadline.Reached(bounded, cancellationToken))
        {
            return false;
        }
    }
}

namespace Pottery;

/// <summary>
/// The watchdog of a handle with <c>AutoExtend</c>: renews its lease every period until the handle
/// stops it (released) or a renewal says to stop (the lease is lost). Shared by every leased handle.
/// </summary>
internal static class LeaseWatchdog
{
    /// <summary>Starts renewing every <paramref name="period"/>.</summary>
    /// <param name="period">The time between renewals: a third of the lease, so one late renewal still comes in time.</param>
    /// <param name="state">The handle.</param>
    /// <param name="renew">One renewal, with its bookkeeping; false stops the watchdog.</param>
    /// <returns>The source that stops the watchdog; cancel and dispose it on release.</returns>
    public static CancellationTokenSource Start<TState>(TimeSpan period, TState state, Func<TState, CancellationToken, ValueTask<bool>> renew)
    {
        var stop = new CancellationTokenSource();
        _ = RunAsync(period, state, renew, stop.Token);
        return stop;
    }

    private static async Task RunAsync<TState>(TimeSpan period, TState state, Func<TState, CancellationToken, ValueTask<bool>> renew, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(period);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) && await renew(state, stop).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Released.
        }
        catch (ObjectDisposedException)
        {
            // Released between a renewal and its bookkeeping.
        }
    }
}

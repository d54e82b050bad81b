namespace Pottery;

/// <summary>
/// A held <see cref="Redlock"/> for a <c>using</c> scope: disposing releases it.
/// <see cref="LostToken"/> fires when the validity runs out without an extension, so work
/// guarded by the lock can stop in time.
/// </summary>
public sealed class RedlockHandle : IDisposable, IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopWatchdog = new();
    private int _released;

    internal RedlockHandle(Redlock redlock, long fencingToken, TimeSpan validity)
    {
        Lock = redlock;
        FencingToken = fencingToken;
        _lost.CancelAfter(validity);
        if (redlock.AutoExtend)
        {
            _ = WatchAsync(_stopWatchdog.Token);
        }
    }

    /// <summary>The lock this handle holds.</summary>
    public Redlock Lock { get; }

    /// <summary>The acquisition's fencing token (see <see cref="Redlock"/>).</summary>
    public long FencingToken { get; }

    /// <summary>Fires when the lock's validity ran out; extending pushes it back.</summary>
    public CancellationToken LostToken => _lost.Token;

    /// <summary>Extends the lock (see <see cref="Redlock.ExtendAsync"/>) and moves <see cref="LostToken"/> accordingly.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the lock is extended.</returns>
    public async Task ExtendAsync(CancellationToken cancellationToken = default)
    {
        await Lock.ExtendAsync(cancellationToken).ConfigureAwait(false);
        _lost.CancelAfter(await Lock.LockedAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Releases the lock without waiting for the masters' replies (a scope's end costs no round
    /// trip); call <see cref="Redlock.ReleaseAsync(CancellationToken)"/> instead to learn whether it was still held.
    /// A lock already lost is not an error here: <see cref="LostToken"/> reports that.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _stopWatchdog.Cancel();
            Lock.ReleaseInBackground();
            _lost.Dispose();
            _stopWatchdog.Dispose();
        }
    }

    /// <summary>Releases the lock without waiting for replies (see <see cref="Dispose"/>).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Lock.AutoReleaseTime / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (!await Lock.RenewAsync(stop).ConfigureAwait(false))
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                _lost.CancelAfter(Lock.FullValidity);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The scope ended.
        }
        catch (ObjectDisposedException)
        {
            // Disposed between a renewal and its bookkeeping.
        }
    }
}

using System.Diagnostics;

namespace Pottery;

/// <summary>
/// A held <see cref="Redlock"/> for a <c>using</c> scope: disposing releases it.
/// <see cref="LostToken"/> fires when the validity runs out without an extension, so work
/// guarded by the lock can stop in time.
/// </summary>
public sealed class RedlockHandle : IDisposable, IAsyncDisposable
{
    // Most scopes never look at LostToken, so its source and timer are made on first use; until
    // then only the moment the validity runs out is kept.
    private readonly object _gate = new();
    private readonly CancellationTokenSource? _stopWatchdog;
    private CancellationTokenSource? _lost;
    private long _validUntil;
    private int _released;

    internal RedlockHandle(Redlock redlock, long fencingToken, TimeSpan validity)
    {
        Lock = redlock;
        FencingToken = fencingToken;
        _validUntil = Deadline(validity);
        if (redlock.AutoExtend)
        {
            _stopWatchdog = new CancellationTokenSource();
            _ = WatchAsync(_stopWatchdog.Token);
        }
    }

    /// <summary>The lock this handle holds.</summary>
    public Redlock Lock { get; }

    /// <summary>The acquisition's fencing token (see <see cref="Redlock"/>).</summary>
    public long FencingToken { get; }

    /// <summary>Fires when the lock's validity ran out; extending pushes it back.</summary>
    /// <exception cref="ObjectDisposedException">The handle was disposed (the lock released).</exception>
    public CancellationToken LostToken
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_released != 0, this);
                if (_lost is null)
                {
                    _lost = new CancellationTokenSource();
                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _validUntil);
                    if (remaining > TimeSpan.Zero)
                    {
                        _lost.CancelAfter(remaining);
                    }
                    else
                    {
                        // Nobody can have registered on a source made just now, so no callback runs under the gate.
                        _lost.Cancel();
                    }
                }

                return _lost.Token;
            }
        }
    }

    /// <summary>Extends the lock (see <see cref="Redlock.ExtendAsync"/>) and moves <see cref="LostToken"/> accordingly.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the lock is extended.</returns>
    public async Task ExtendAsync(CancellationToken cancellationToken = default)
    {
        await Lock.ExtendAsync(cancellationToken).ConfigureAwait(false);
        MoveDeadline(await Lock.LockedAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Releases the lock without waiting for the masters' replies (a scope's end costs no round
    /// trip); call <see cref="Redlock.ReleaseAsync(CancellationToken)"/> instead to learn whether it was still held.
    /// A lock already lost is not an error here: <see cref="LostToken"/> reports that.
    /// </summary>
    public void Dispose()
    {
        CancellationTokenSource? lost;
        lock (_gate)
        {
            if (_released != 0)
            {
                return;
            }

            _released = 1;
            lost = _lost;
        }

        _stopWatchdog?.Cancel();
        Lock.ReleaseInBackground();
        lost?.Dispose();
        _stopWatchdog?.Dispose();
    }

    /// <summary>Releases the lock without waiting for replies (see <see cref="Dispose"/>).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static long Deadline(TimeSpan validity) =>
        Stopwatch.GetTimestamp() + (long)(validity.TotalSeconds * Stopwatch.Frequency);

    private void MoveDeadline(TimeSpan validity)
    {
        lock (_gate)
        {
            _validUntil = Deadline(validity);
            if (_released == 0)
            {
                _lost?.CancelAfter(validity);
            }
        }
    }

    private void Lose()
    {
        CancellationTokenSource? lost;
        lock (_gate)
        {
            if (_released != 0)
            {
                return;
            }

            _validUntil = Stopwatch.GetTimestamp();
            lost = _lost;
        }

        // Cancelled outside the gate: callbacks registered on LostToken may read it again.
        // A source that does not exist yet is made already cancelled by LostToken.
        lost?.Cancel();
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
                    Lose();
                    return;
                }

                MoveDeadline(Lock.FullValidity);
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

using System.Diagnostics;

namespace Pottery;

/// <summary>
/// The lease of one acquisition on one database (a semaphore's permit, a reader-writer lock's read
/// or write): its <see cref="LeaseClock"/>, its <see cref="LeaseWatchdog"/>, and the renewals that
/// move the clock. The handle that owns it keeps the public surface and its own error messages.
/// A loss (the lost token fired, the watchdog could not renew, or a release came after the validity
/// ended) is reported once, with the primitive's name and kind (<see cref="LockTelemetry.LeaseLost"/>).
/// </summary>
/// <typeparam name="TOwner">The handle, passed to the renewal so that it needs no closure.</typeparam>
internal sealed class HeldLease<TOwner> : IDisposable
    where TOwner : class
{
    private readonly TOwner _owner;
    private readonly string _name;
    private readonly string _kind;
    private readonly TimeSpan _validity;
    private readonly Func<TOwner, CancellationToken, ValueTask<bool>> _renew;
    private readonly LeaseClock _clock;
    private readonly CancellationTokenSource? _stopWatchdog;
    // This process's queue for the primitive while the handle alone decides when it moves on.
    private LocalLockQueue? _queue;
    private int _lossReported;

    /// <summary>Starts the lease of an acquisition sent at <paramref name="acquiredAt"/>, and its watchdog if <paramref name="autoExtend"/>.</summary>
    /// <param name="owner">The handle; its fields must be set, since the watchdog may renew at once.</param>
    /// <param name="name">The primitive's name as given, for telemetry.</param>
    /// <param name="kind">Which primitive and side it is (<see cref="LockKinds"/>), for telemetry.</param>
    /// <param name="acquiredAt">When the granted try was sent (a <see cref="Stopwatch"/> timestamp).</param>
    /// <param name="leaseTime">The lease on the server; the watchdog renews every third of it.</param>
    /// <param name="validity">The lease less the clock drift allowance.</param>
    /// <param name="autoExtend">Whether a watchdog renews the lease until the end.</param>
    /// <param name="renew">One renewal on the server; false when the acquisition is no longer held. A static lambda.</param>
    /// <param name="queue">The local queue whose turn the acquirer held, now the lease's until <see cref="LeaveQueue"/>; null for none.</param>
    public HeldLease(TOwner owner, string name, string kind, long acquiredAt, TimeSpan leaseTime, TimeSpan validity, bool autoExtend, Func<TOwner, CancellationToken, ValueTask<bool>> renew, LocalLockQueue? queue = null)
    {
        (_owner, _name, _kind, _validity, _renew) = (owner, name, kind, validity, renew);
        _clock = new LeaseClock(acquiredAt, validity);
        _queue = queue;
        queue?.Hold(_clock);
        if (autoExtend)
        {
            _stopWatchdog = LeaseWatchdog.Start(leaseTime / 3, this, static (lease, stop) => lease.RenewInBackgroundAsync(byWatchdog: true, stop));
        }
    }

    /// <summary>The token that fires when the validity runs out or is lost.</summary>
    /// <exception cref="ObjectDisposedException">The acquisition was released.</exception>
    public CancellationToken LostToken =>
        _clock.LostToken(_owner, LockTelemetry.WatchesLosses ? static lease => ((HeldLease<TOwner>)lease!).ReportLoss() : null, this);

    /// <summary>This process's queue for the primitive while the lease holds its turn; null once it left.</summary>
    public LocalLockQueue? Queue => Volatile.Read(ref _queue);

    /// <summary>How much longer the acquisition is valid by the local clock; zero once lost or released.</summary>
    public TimeSpan ValidFor => _clock.Valid ? _clock.Left : TimeSpan.Zero;

    /// <summary>Renews the lease on the server and moves the clock; false when it is no longer held (then nothing is sent if the local clock already says so).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether the lease was renewed.</returns>
    public async ValueTask<bool> ExtendAsync(CancellationToken cancellationToken)
    {
        if (ValidFor == TimeSpan.Zero)
        {
            return false;
        }

        var start = Stopwatch.GetTimestamp();
        if (!await _renew(_owner, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _clock.Renewed(start, _validity);
        return true;
    }

    /// <summary>Ends the lease locally (released): stops the watchdog and frees the lost token's timer; true for the first call only.</summary>
    public bool End()
    {
        if (!_clock.End())
        {
            return false;
        }

        _stopWatchdog?.Cancel();
        _stopWatchdog?.Dispose();
        if (LockTelemetry.WatchesLosses && _clock.Expired)
        {
            ReportLoss();
        }

        return true;
    }

    /// <summary>
    /// Lets this process's next acquirer try (once): call it after the release was sent, so that
    /// the next try follows it on the connection, and when anyone may release the acquisition.
    /// </summary>
    public void LeaveQueue() => Interlocked.Exchange(ref _queue, null)?.Leave(_clock);

    /// <summary>
    /// Hands the turn to this process's next acquirer with the permit <paramref name="token"/>, which it
    /// keeps or gives back with its try (<see cref="LocalLockQueue.TryHandOver"/>); false when nobody waits here.
    /// </summary>
    public bool TryHandOver(string token, TimeSpan window)
    {
        if (Volatile.Read(ref _queue) is not { } queue || !queue.TryHandOver(_clock, token, window))
        {
            return false;
        }

        Interlocked.CompareExchange(ref _queue, null, queue);
        return true;
    }

    /// <summary>
    /// Renews the lease without waiting, as a watchdog tick does: an acquisition that took over a
    /// lease as it was (a permit kept within the process) gets its full lease once the server answers.
    /// </summary>
    public void RenewInBackground() => _ = RenewInBackgroundAsync(byWatchdog: false, CancellationToken.None).AsTask();

    /// <summary>Ends the lease locally, as <see cref="End"/> does.</summary>
    public void Dispose() => End();

    // One renewal by the watchdog, or after a hand-over; false stops the watchdog (the lease is lost).
    private async ValueTask<bool> RenewInBackgroundAsync(bool byWatchdog, CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        PotteryException? failure = null;
        try
        {
            if (await _renew(_owner, stop).ConfigureAwait(false))
            {
                _clock.Renewed(start, _validity);
                return true;
            }
        }
        catch (PotteryException) when (_clock.Valid)
        {
            // The server could not be asked: the next tick tries again while the lease lasts.
            return true;
        }
        catch (PotteryException error)
        {
            // Not renewed in time: lost below.
            failure = error;
        }

        // A lease released meanwhile was not lost: its renewal only found the token gone.
        if (_clock.Lose())
        {
            LockTelemetry.LeaseWatchdogFailed(_name, _kind, byWatchdog, failure);
            ReportLoss();
            LeaveQueue();
        }

        return false;
    }

    // Once per acquisition, however the loss was noticed: the lost token's timer, the watchdog, or a release after the validity ended.
    private void ReportLoss()
    {
        if (Interlocked.Exchange(ref _lossReported, 1) == 0)
        {
            LockTelemetry.LeaseLost(_name, _kind);
        }
    }
}

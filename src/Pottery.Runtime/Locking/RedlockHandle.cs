using System.Diagnostics;

namespace Pottery;

/// <summary>
/// One acquisition of a <see cref="Redlock"/>. It owns its token, validity, fencing token,
/// extensions and watchdog, so extending, releasing or disposing it only ever touches this
/// acquisition, never a later one of the same lock. Disposing releases it;
/// <see cref="LostToken"/> fires when the validity runs out without an extension, so work guarded
/// by the lock can stop in time.
/// </summary>
public sealed class RedlockHandle : IDisposable, IAsyncDisposable
{
    // The shortest delay a moved LostToken is given, so that it never fires under the gate.
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private readonly CancellationTokenSource? _stopWatchdog;
    private readonly string _token;

    // This process's queue for the lock while the handle alone decides when it moves on.
    private LocalLockQueue? _queue;

    // Most scopes never look at LostToken, so its source and timer are made on first use; until
    // then only the moment the validity runs out is kept.
    private CancellationTokenSource? _lost;
    private long _validUntil;
    private int _extensions;
    private readonly long _fencingToken;
    private int _released;
    private int _lossReported;

    internal RedlockHandle(Redlock redlock, string token, long acquiredAt, long fencingToken, LocalLockQueue? queue)
    {
        Lock = redlock;
        _token = token;
        _fencingToken = fencingToken;
        _validUntil = ValidityEnd(acquiredAt, redlock.Validity);
        _queue = queue;
        queue?.Hold(this);
        if (redlock.AutoExtend)
        {
            _stopWatchdog = new CancellationTokenSource();
            _ = WatchAsync(_stopWatchdog.Token);
        }
    }

    /// <summary>The lock this is an acquisition of.</summary>
    public Redlock Lock { get; }

    /// <summary>
    /// This acquisition's random token. It is a plain string: hand it to another process (a job
    /// queue, a callback) that should release the lock with <see cref="Redlock.Release(string)"/>.
    /// </summary>
    /// <remarks>
    /// Once the token is read, the lock may be released from anywhere, so acquirers of this process
    /// stop queueing behind this handle and wait for the lock in Redis, as other processes do.
    /// </remarks>
    public string Token
    {
        get
        {
            LeaveQueue();
            return _token;
        }
    }

    /// <summary>The acquisition's fencing token (see <see cref="Redlock"/>): larger than every earlier acquisition's.</summary>
    /// <exception cref="InvalidOperationException">The lock is not <see cref="Redlock.Fenced"/>, so its acquisitions draw no tokens.</exception>
    public long FencingToken =>
        Lock.Fenced ? _fencingToken : throw new InvalidOperationException($"The lock '{Lock.Name}' draws no fencing tokens: create it with Fenced = true.");

    /// <summary>How many times this acquisition was extended with <see cref="Extend"/>; the watchdog's renewals do not count.</summary>
    public int Extensions => Volatile.Read(ref _extensions);

    /// <summary>Fires when this acquisition's validity ran out; extending pushes it back.</summary>
    /// <exception cref="ObjectDisposedException">The handle was released or disposed.</exception>
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
                        if (LockTelemetry.WatchesLosses)
                        {
                            // Fires on the timer's thread (or after Lose), never under the gate; a disposed source never fires.
                            _lost.Token.Register(static handle => ((RedlockHandle)handle!).ReportLoss(), this);
                        }
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

    /// <summary>How much longer this acquisition holds the lock according to a quorum of masters; zero once it is lost or released (pottery's <c>locked()</c>).</summary>
    /// <returns>The remaining validity.</returns>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered to tell.</exception>
    public TimeSpan HeldFor() => Sync.Wait(HeldForAsync());

    /// <summary>How much longer this acquisition holds the lock according to a quorum of masters; zero once it is lost or released.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The remaining validity.</returns>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered to tell.</exception>
    public ValueTask<TimeSpan> HeldForAsync(CancellationToken cancellationToken = default) =>
        Valid ? RedlockHeldFor.RemainingAsync(Lock, _token, cancellationToken) : ValueTask.FromResult(TimeSpan.Zero);

    /// <summary>Resets this acquisition's validity to the auto-release time on a quorum of masters.</summary>
    /// <exception cref="ExtendUnlockedLockException">The acquisition is no longer held (released, expired, or lost on the masters).</exception>
    /// <exception cref="TooManyExtensionsException">It was already extended <see cref="Redlock.MaxExtensions"/> times.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered within the remaining validity to extend it on a quorum.</exception>
    public void Extend() => Sync.Wait(ExtendAsync());

    /// <summary>Resets this acquisition's validity to the auto-release time on a quorum of masters, and moves <see cref="LostToken"/> accordingly.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the lock is extended.</returns>
    /// <exception cref="ExtendUnlockedLockException">The acquisition is no longer held (released, expired, or lost on the masters).</exception>
    /// <exception cref="TooManyExtensionsException">It was already extended <see cref="Redlock.MaxExtensions"/> times.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered within the remaining validity to extend it on a quorum.</exception>
    public async ValueTask ExtendAsync(CancellationToken cancellationToken = default)
    {
        if (!Valid)
        {
            throw NotHeld("extend");
        }

        // Reserved before the round, so concurrent extensions cannot exceed the limit together.
        if (Interlocked.Increment(ref _extensions) > Lock.MaxExtensions)
        {
            Interlocked.Decrement(ref _extensions);
            throw new TooManyExtensionsException($"The lock '{Lock.Name}' was already extended {Lock.MaxExtensions} times.", Lock.Key.ToString());
        }

        var renewed = false;
        RoundTally tally;
        try
        {
            var start = Stopwatch.GetTimestamp();
            tally = await RedlockExtend.RenewAsync(Lock, _token, ValidityLeft, cancellationToken).ConfigureAwait(false);
            renewed = tally.Agrees;
            if (renewed)
            {
                MoveDeadline(start);
                LockTelemetry.Extended(Lock, Extensions);
            }
        }
        finally
        {
            if (!renewed)
            {
                Interlocked.Decrement(ref _extensions);
            }
        }

        if (!renewed)
        {
            throw RedlockErrors.NotExtended(Lock, tally);
        }
    }

    /// <summary>Releases this acquisition on every master and waits for a quorum's answer.</summary>
    /// <exception cref="ReleaseUnlockedLockException">It was not held on a quorum (already released, expired, or lost).</exception>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered to release it on a quorum (they are down, or silent past the client's command timeout); they let it expire.</exception>
    public void Release() => Sync.Wait(ReleaseAsync());

    /// <summary>Releases this acquisition on every master and waits for a quorum's answer; <see cref="Dispose"/> releases without waiting.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when a quorum of masters answered.</returns>
    /// <exception cref="ReleaseUnlockedLockException">It was not held on a quorum (already released, expired, or lost).</exception>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered to release it on a quorum; they let it expire.</exception>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (!MarkReleased())
        {
            LeaveQueue();
            throw new ReleaseUnlockedLockException($"Cannot release the lock '{Lock.Name}': this acquisition was already released.", Lock.Key.ToString());
        }

        RoundTally tally;
        try
        {
            tally = await RedlockRelease.ReleaseAsync(Lock, _token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            LeaveQueue();
        }

        if (!tally.Agrees)
        {
            throw RedlockErrors.NotReleased(Lock, tally, "with this acquisition", "released, expired, or lost");
        }
    }

    /// <summary>
    /// Releases this acquisition without waiting for the masters' replies (a scope's end costs no
    /// round trip), and never throws: an acquisition already lost or released is left as it is
    /// (<see cref="LostToken"/> reports a loss). Call <see cref="ReleaseAsync"/> to learn whether it was still held.
    /// </summary>
    public void Dispose()
    {
        if (MarkReleased())
        {
            // Sent before the queue moves on, so the next local acquirer's try follows it on every connection.
            RedlockRelease.InBackground(Lock, _token);
        }

        LeaveQueue();
    }

    /// <summary>Releases without waiting for replies (see <see cref="Dispose"/>).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The moment (a <see cref="Stopwatch"/> timestamp) this acquisition's validity ends; extensions move it.</summary>
    internal long ValidUntil => Volatile.Read(ref _validUntil);

    /// <summary>Whether the validity ended (or the acquisition was lost) by the local clock.</summary>
    internal bool Expired => Stopwatch.GetTimestamp() >= ValidUntil;

    // How long this acquisition stays valid by the local clock; never negative.
    private TimeSpan ValidityLeft
    {
        get
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), ValidUntil);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    // Neither released by this handle nor past its validity by the local clock. A LostToken that
    // fired counts too: its timer may fire a tick before the clock reaches the end, and a caller
    // told the lock is lost must not then be told it is held.
    private bool Valid
    {
        get
        {
            lock (_gate)
            {
                return _released == 0 && Stopwatch.GetTimestamp() < _validUntil && _lost?.IsCancellationRequested != true;
            }
        }
    }

    private static long ValidityEnd(long since, TimeSpan validity) =>
        since + (long)(validity.TotalSeconds * Stopwatch.Frequency);

    private ExtendUnlockedLockException NotHeld(string what) =>
        new($"Cannot {what} the lock '{Lock.Name}': this acquisition no longer holds it (released, expired, or lost).", Lock.Key.ToString());

    // True for the one call that ends the handle: it stops the watchdog and frees the lost-lock timer.
    private bool MarkReleased()
    {
        CancellationTokenSource? lost;
        lock (_gate)
        {
            if (_released != 0)
            {
                return false;
            }

            _released = 1;
            lost = _lost;
        }

        _stopWatchdog?.Cancel();
        _stopWatchdog?.Dispose();
        if (LockTelemetry.WatchesLosses && Expired)
        {
            ReportLoss();
        }

        lost?.Dispose();
        return true;
    }

    // Moves the validity to a renewal that started at the given moment.
    private void MoveDeadline(long renewedAt)
    {
        lock (_gate)
        {
            _validUntil = ValidityEnd(renewedAt, Lock.Validity);
            if (_released == 0)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _validUntil);
                _lost?.CancelAfter(left > Moment ? left : Moment);
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
        ReportLoss();
        LeaveQueue();
    }

    // Once per acquisition, however the loss was noticed: LostToken's timer, the watchdog, or a release after the validity ended.
    private void ReportLoss()
    {
        if (Interlocked.Exchange(ref _lossReported, 1) == 0)
        {
            LockTelemetry.Lost(Lock);
        }
    }

    // Once: lets this process's next acquirer try.
    private void LeaveQueue() => Interlocked.Exchange(ref _queue, null)?.Leave(this);

    private async Task WatchAsync(CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(Lock.AutoReleaseTime / 3);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var start = Stopwatch.GetTimestamp();
                var tally = await RedlockExtend.RenewAsync(Lock, _token, ValidityLeft, stop).ConfigureAwait(false);
                if (!tally.Agrees)
                {
                    LockTelemetry.WatchdogFailed(Lock, tally);
                    Lose();
                    return;
                }

                MoveDeadline(start);
                LockTelemetry.Extended(Lock, null);
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

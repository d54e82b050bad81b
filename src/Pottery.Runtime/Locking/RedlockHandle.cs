using System.Diagnostics;

namespace Pottery;

/// <summary>
/// One acquisition of a <see cref="Redlock"/>. It owns its token, validity, fencing token,
/// extensions and watchdog, so extending, releasing or disposing it only ever touches this
/// acquisition, never a later one of the same lock. Disposing releases it;
/// <see cref="LostToken"/> fires when the validity runs out without an extension, so work guarded
/// by the lock can stop in time.
/// </summary>
public sealed class RedlockHandle : IRedisLockHandle
{
    private readonly CancellationTokenSource? _stopWatchdog;
    private readonly string _token;

    // This process's queue for the lock while the handle alone decides when it moves on.
    private LocalLockQueue? _queue;

    private readonly LeaseClock _clock;
    private int _extensions;
    private readonly long _fencingToken;
    private int _lossReported;

    internal RedlockHandle(Redlock redlock, string token, long acquiredAt, long fencingToken, LocalLockQueue? queue)
    {
        Lock = redlock;
        _token = token;
        _fencingToken = fencingToken;
        _clock = new LeaseClock(acquiredAt, redlock.Validity);
        _queue = queue;
        queue?.Hold(_clock);
        if (redlock.AutoExtend)
        {
            _stopWatchdog = LeaseWatchdog.Start(redlock.AutoReleaseTime / 3, this, static (handle, stop) => handle.RenewAsync(stop));
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
    public CancellationToken LostToken =>
        _clock.LostToken(this, LockTelemetry.WatchesLosses ? static handle => ((RedlockHandle)handle!).ReportLoss() : null);

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
            tally = await RedlockExtend.RenewAsync(Lock, _token, _clock.Left, cancellationToken).ConfigureAwait(false);
            renewed = tally.Agrees;
            if (renewed)
            {
                _clock.Renewed(start, Lock.Validity);
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
    internal long ValidUntil => _clock.ValidUntil;

    /// <summary>Whether the validity ended (or the acquisition was lost) by the local clock.</summary>
    internal bool Expired => _clock.Expired;

    // Neither released by this handle nor past its validity by the local clock (nor lost).
    private bool Valid => _clock.Valid;

    private ExtendUnlockedLockException NotHeld(string what) =>
        new($"Cannot {what} the lock '{Lock.Name}': this acquisition no longer holds it (released, expired, or lost).", Lock.Key.ToString());

    // True for the one call that ends the handle: it stops the watchdog and frees the lost-lock timer.
    private bool MarkReleased()
    {
        if (!_clock.End())
        {
            return false;
        }

        _stopWatchdog?.Cancel();
        _stopWatchdog?.Dispose();
        if (LockTelemetry.WatchesLosses && Expired)
        {
            ReportLoss();
        }

        return true;
    }

    private void Lose()
    {
        if (_clock.Lose())
        {
            ReportLoss();
            LeaveQueue();
        }
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
    private void LeaveQueue() => Interlocked.Exchange(ref _queue, null)?.Leave(_clock);

    // One renewal by the watchdog; false stops it (the lock is lost).
    private async ValueTask<bool> RenewAsync(CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        var tally = await RedlockExtend.RenewAsync(Lock, _token, _clock.Left, stop).ConfigureAwait(false);
        if (!tally.Agrees)
        {
            LockTelemetry.WatchdogFailed(Lock, tally);
            Lose();
            return false;
        }

        _clock.Renewed(start, Lock.Validity);
        LockTelemetry.Extended(Lock, null);
        return true;
    }
}

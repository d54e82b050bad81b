using System.Diagnostics;

namespace Pottery;

/// <summary>
/// One read or the write of a <see cref="RedisReaderWriterLock"/>, acquired by
/// <see cref="RedisReaderWriterLock.AcquireReadAsync"/>, <see cref="RedisReaderWriterLock.AcquireWriteAsync"/>
/// or their <c>Try</c> forms. It owns its token, validity and watchdog; extending or releasing it
/// only ever touches this acquisition. Dispose it to give it back. A read never becomes a write
/// (see <see cref="RedisReaderWriterLock"/>).
/// </summary>
/// <remarks>
/// The validity is the lease time less the clock drift allowance, counted by the local clock from
/// just before the acquire (or renewal) was sent, so it ends before the server's lease does.
/// </remarks>
public sealed class RedisReaderWriterLockHandle : IDisposable, IAsyncDisposable
{
    private readonly string _token;
    private readonly CancellationTokenSource? _stopWatchdog;
    private readonly LeaseClock _clock;

    internal RedisReaderWriterLockHandle(RedisReaderWriterLock rwlock, string token, bool isWrite, long acquiredAt)
    {
        Lock = rwlock;
        _token = token;
        IsWrite = isWrite;
        _clock = new LeaseClock(acquiredAt, rwlock.Validity);
        if (rwlock.AutoExtend)
        {
            _stopWatchdog = LeaseWatchdog.Start(rwlock.LeaseTime / 3, this, static (handle, stop) => handle.RenewAsync(stop));
        }
    }

    /// <summary>The lock this is an acquisition of.</summary>
    public RedisReaderWriterLock Lock { get; }

    /// <summary>Whether this is the write lock (rather than a read).</summary>
    public bool IsWrite { get; }

    /// <summary>This acquisition's random token: its member in the readers' (or the writer's) sorted set.</summary>
    public string Token => _token;

    /// <summary>Fires when this acquisition's validity ran out (or the watchdog could not renew it); extending pushes it back.</summary>
    /// <exception cref="ObjectDisposedException">The acquisition was released or disposed.</exception>
    public CancellationToken LostToken => _clock.LostToken(this, onLost: null);

    /// <summary>How much longer this acquisition is valid by the local clock; zero once lost or released.</summary>
    public TimeSpan ValidFor => _clock.Valid ? _clock.Left : TimeSpan.Zero;

    /// <summary>Resets this acquisition's lease to the lock's lease time.</summary>
    /// <exception cref="ExtendUnlockedLockException">The acquisition is no longer held (released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public void Extend() => Sync.Wait(ExtendAsync());

    /// <summary>Resets this acquisition's lease to the lock's lease time, and moves <see cref="LostToken"/> accordingly.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the lease is renewed.</returns>
    /// <exception cref="ExtendUnlockedLockException">The acquisition is no longer held (released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public async ValueTask ExtendAsync(CancellationToken cancellationToken = default)
    {
        if (ValidFor == TimeSpan.Zero)
        {
            throw NotHeld();
        }

        var start = Stopwatch.GetTimestamp();
        if (!await ReaderWriterLockAcquire.ExtendAsync(Lock, _token, IsWrite, cancellationToken).ConfigureAwait(false))
        {
            throw NotHeld();
        }

        _clock.Renewed(start, Lock.Validity);
    }

    /// <summary>Gives this acquisition back and waits for the server's answer.</summary>
    /// <exception cref="ReleaseUnlockedLockException">The acquisition was no longer held (already released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now; the lease then ends on its own.</exception>
    public void Release() => Sync.Wait(ReleaseAsync());

    /// <summary>Gives this acquisition back and waits for the server's answer; <see cref="Dispose"/> gives it back without waiting.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the server answered.</returns>
    /// <exception cref="ReleaseUnlockedLockException">The acquisition was no longer held (already released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now; the lease then ends on its own.</exception>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (!End())
        {
            throw NotReleased("it was already released");
        }

        if (!await ReaderWriterLockAcquire.ReleaseAsync(Lock, _token, IsWrite, cancellationToken).ConfigureAwait(false))
        {
            throw NotReleased("its lease had ended");
        }
    }

    /// <summary>
    /// Gives this acquisition back without waiting for the server's reply (a scope's end costs no round
    /// trip), and never throws. Call <see cref="ReleaseAsync"/> to learn whether it was still held.
    /// </summary>
    public void Dispose()
    {
        if (End())
        {
            ReaderWriterLockAcquire.ReleaseInBackground(Lock, _token, IsWrite);
        }
    }

    /// <summary>Gives the acquisition back without waiting for the reply (see <see cref="Dispose"/>).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private ExtendUnlockedLockException NotHeld() =>
        new($"Cannot extend {What} of the reader-writer lock '{Lock.Name}': it is no longer held (released, or its lease ended).", Lock.Key.ToString());

    private ReleaseUnlockedLockException NotReleased(string why) =>
        new($"Cannot release {What} of the reader-writer lock '{Lock.Name}': {why}.", Lock.Key.ToString());

    private string What => IsWrite ? "the write lock" : "a read";

    // True for the one call that ends the handle: it stops the watchdog and frees the lost-lease timer.
    private bool End()
    {
        if (!_clock.End())
        {
            return false;
        }

        _stopWatchdog?.Cancel();
        _stopWatchdog?.Dispose();
        return true;
    }

    // One renewal by the watchdog; false stops it (the acquisition is lost).
    private async ValueTask<bool> RenewAsync(CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (await ReaderWriterLockAcquire.ExtendAsync(Lock, _token, IsWrite, stop).ConfigureAwait(false))
            {
                _clock.Renewed(start, Lock.Validity);
                return true;
            }
        }
        catch (PotteryException) when (_clock.Valid)
        {
            // The server could not be asked: the next tick tries again while the lease lasts.
            return true;
        }
        catch (PotteryException)
        {
            // Not renewed in time: lost below.
        }

        _clock.Lose();
        return false;
    }
}

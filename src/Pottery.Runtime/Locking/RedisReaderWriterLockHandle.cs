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
public sealed class RedisReaderWriterLockHandle : IRedisLockHandle
{
    private readonly string _token;
    private readonly HeldLease<RedisReaderWriterLockHandle> _lease;

    internal RedisReaderWriterLockHandle(RedisReaderWriterLock rwlock, string token, bool isWrite, long acquiredAt)
    {
        Lock = rwlock;
        _token = token;
        IsWrite = isWrite;
        _lease = new(this, rwlock.Name, isWrite ? LockKinds.Write : LockKinds.Read, acquiredAt, rwlock.LeaseTime, rwlock.Validity, rwlock.AutoExtend, static (handle, stop) => ReaderWriterLockAcquire.ExtendAsync(handle.Lock, handle._token, handle.IsWrite, stop));
    }

    /// <summary>The lock this is an acquisition of.</summary>
    public RedisReaderWriterLock Lock { get; }

    /// <summary>Whether this is the write lock (rather than a read).</summary>
    public bool IsWrite { get; }

    /// <summary>This acquisition's random token: its member in the readers' (or the writer's) sorted set.</summary>
    public string Token => _token;

    /// <summary>Fires when this acquisition's validity ran out (or the watchdog could not renew it); extending pushes it back.</summary>
    /// <exception cref="ObjectDisposedException">The acquisition was released or disposed.</exception>
    public CancellationToken LostToken => _lease.LostToken;

    /// <summary>How much longer this acquisition is valid by the local clock; zero once lost or released.</summary>
    public TimeSpan ValidFor => _lease.ValidFor;

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
        if (!await _lease.ExtendAsync(cancellationToken).ConfigureAwait(false))
        {
            throw NotHeld();
        }
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
        if (!_lease.End())
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
        if (_lease.End())
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
}

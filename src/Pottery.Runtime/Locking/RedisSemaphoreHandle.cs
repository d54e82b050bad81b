namespace Pottery;

/// <summary>
/// One permit of a <see cref="RedisSemaphore"/>, acquired by <see cref="RedisSemaphore.AcquireAsync"/>
/// or <see cref="RedisSemaphore.TryAcquireAsync"/>. It owns its token, validity and watchdog;
/// extending or releasing it only ever touches this permit. Dispose it to give the permit back.
/// </summary>
/// <remarks>
/// The validity is the lease time less the clock drift allowance, counted by the local clock from
/// just before the acquire (or renewal) was sent, so it ends before the server's lease does.
/// </remarks>
public sealed class RedisSemaphoreHandle : IRedisLockHandle
{
    private readonly string _token;
    private readonly HeldLease<RedisSemaphoreHandle> _lease;

    internal RedisSemaphoreHandle(RedisSemaphore semaphore, string token, long acquiredAt, LocalLockQueue? queue)
    {
        Semaphore = semaphore;
        _token = token;
        _lease = new(this, semaphore.Name, LockKinds.Semaphore, acquiredAt, semaphore.LeaseTime, semaphore.Validity, semaphore.AutoExtend, static (handle, stop) => SemaphoreAcquire.ExtendAsync(handle.Semaphore, handle._token, handle._lease.Queue, stop), queue);
    }

    /// <summary>The semaphore this is a permit of.</summary>
    public RedisSemaphore Semaphore { get; }

    /// <summary>This permit's token, its member in the semaphore's sorted set: 32 random hexadecimal characters, a colon and the lease in milliseconds.</summary>
    /// <remarks>
    /// Once the token is read, the permit may be given back from anywhere, so acquirers of this
    /// process stop queueing behind this permit and wait in Redis, as other processes do. A permit
    /// passed on within the process (<see cref="RedisSemaphore.HandOverWindow"/>) keeps its token, so
    /// consecutive holders of one process may have the same one; a permit whose token was read is
    /// never passed on.
    /// </remarks>
    public string Token
    {
        get
        {
            _lease.LeaveQueue();
            return _token;
        }
    }

    /// <summary>Renews the lease without waiting (a permit kept within the process: see <see cref="HeldLease{TOwner}.RenewInBackground"/>).</summary>
    internal void RenewInBackground() => _lease.RenewInBackground();

    /// <summary>Fires when this permit's validity ran out (or the watchdog could not renew it); extending pushes it back.</summary>
    /// <exception cref="ObjectDisposedException">The permit was released or disposed.</exception>
    public CancellationToken LostToken => _lease.LostToken;

    /// <summary>How much longer this permit is valid by the local clock; zero once lost or released.</summary>
    public TimeSpan ValidFor => _lease.ValidFor;

    /// <summary>Resets this permit's lease to the semaphore's lease time.</summary>
    /// <exception cref="ExtendUnlockedLockException">The permit is no longer held (released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public void Extend() => Sync.Wait(ExtendAsync());

    /// <summary>Resets this permit's lease to the semaphore's lease time, and moves <see cref="LostToken"/> accordingly.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the lease is renewed.</returns>
    /// <exception cref="ExtendUnlockedLockException">The permit is no longer held (released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public async ValueTask ExtendAsync(CancellationToken cancellationToken = default)
    {
        if (!await _lease.ExtendAsync(cancellationToken).ConfigureAwait(false))
        {
            throw NotHeld();
        }
    }

    /// <summary>Gives this permit back and waits for the server's answer.</summary>
    /// <exception cref="ReleaseUnlockedLockException">The permit was no longer held (already released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now; the lease then ends on its own.</exception>
    public void Release() => Sync.Wait(ReleaseAsync());

    /// <summary>Gives this permit back and waits for the server's answer; <see cref="Dispose"/> gives it back without waiting.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the server answered.</returns>
    /// <exception cref="ReleaseUnlockedLockException">The permit was no longer held (already released, or its lease ended).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now; the lease then ends on its own.</exception>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (!_lease.End())
        {
            _lease.LeaveQueue();
            throw NotReleased("it was already released");
        }

        bool released;
        try
        {
            released = await SemaphoreAcquire.ReleaseAsync(Semaphore, _token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lease.LeaveQueue();
        }

        if (!released)
        {
            throw NotReleased("its lease had ended");
        }
    }

    /// <summary>
    /// Gives this permit back without waiting for the server's reply (a scope's end costs no round
    /// trip), and never throws. Call <see cref="ReleaseAsync"/> to learn whether it was still held.
    /// </summary>
    public void Dispose()
    {
        if (_lease.End())
        {
            // An acquirer of this process waiting for a turn takes the permit over, or gives it back
            // with its own try; otherwise the release is sent before the queue moves on, so a next try follows it.
            if (_lease.TryHandOver(_token, Semaphore.HandOverWindow))
            {
                return;
            }

            SemaphoreAcquire.ReleaseInBackground(Semaphore, _token);
        }

        _lease.LeaveQueue();
    }

    /// <summary>Gives the permit back without waiting for the reply (see <see cref="Dispose"/>).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private ExtendUnlockedLockException NotHeld() =>
        new($"Cannot extend a permit of the semaphore '{Semaphore.Name}': it is no longer held (released, or its lease ended).", Semaphore.Key.ToString());

    private ReleaseUnlockedLockException NotReleased(string why) =>
        new($"Cannot release a permit of the semaphore '{Semaphore.Name}': {why}.", Semaphore.Key.ToString());
}

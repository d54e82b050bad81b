namespace Pottery;

/// <summary>
/// Something a caller acquires and holds for a while: a <see cref="Redlock"/>, a permit of a
/// <see cref="RedisSemaphore"/>, the read or write side of a <see cref="RedisReaderWriterLock"/>
/// (<see cref="RedisReaderWriterLock.ReadLock"/>, <see cref="RedisReaderWriterLock.WriteLock"/>). Code that only needs "hold this while the body runs", such as the
/// <c>[Synchronize]</c> wrappers (<see cref="Synchronize"/>), takes any of them through this interface.
/// </summary>
public interface IRedisLock
{
    /// <summary>The name the lock was created with.</summary>
    string Name { get; }

    /// <summary>Acquires the lock, waiting as long as it takes or up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <returns>The acquisition; dispose it to release.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="PotteryException">Redis could not be asked, or answered with an error.</exception>
    IRedisLockHandle Acquire(TimeSpan? timeout = null);

    /// <summary>Acquires the lock (see <see cref="Acquire"/>).</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The acquisition; dispose it to release.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    /// <exception cref="PotteryException">Redis could not be asked, or answered with an error.</exception>
    ValueTask<IRedisLockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}

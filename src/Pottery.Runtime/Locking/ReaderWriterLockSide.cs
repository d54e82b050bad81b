namespace Pottery;

/// <summary>One side of a <see cref="RedisReaderWriterLock"/> (its reads or its writes) as an <see cref="IRedisLock"/>.</summary>
internal sealed class ReaderWriterLockSide(RedisReaderWriterLock rwlock, bool write) : IRedisLock
{
    /// <inheritdoc/>
    public string Name => rwlock.Name;

    /// <inheritdoc/>
    public IRedisLockHandle Acquire(TimeSpan? timeout = null) => write ? rwlock.AcquireWrite(timeout) : rwlock.AcquireRead(timeout);

    /// <inheritdoc/>
    public ValueTask<IRedisLockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RedisLockHandles.Of(write ? rwlock.AcquireWriteAsync(timeout, cancellationToken) : rwlock.AcquireReadAsync(timeout, cancellationToken));
}

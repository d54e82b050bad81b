namespace Pottery;

/// <summary>
/// One acquisition of an <see cref="IRedisLock"/>: it owns its token and lease, and releasing or
/// disposing it gives back this acquisition only, never a later one of the same lock.
/// </summary>
public interface IRedisLockHandle : IDisposable, IAsyncDisposable
{
    /// <summary>Fires when this acquisition is lost: its lease ran out, or an extension found it gone.</summary>
    CancellationToken LostToken { get; }

    /// <summary>Renews the lease of this acquisition.</summary>
    /// <exception cref="PotteryException">The acquisition is no longer held, or Redis could not be asked.</exception>
    void Extend();

    /// <summary>Renews the lease of this acquisition (see <see cref="Extend"/>).</summary>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>A task that completes once renewed.</returns>
    /// <exception cref="PotteryException">The acquisition is no longer held, or Redis could not be asked.</exception>
    ValueTask ExtendAsync(CancellationToken cancellationToken = default);

    /// <summary>Releases this acquisition.</summary>
    /// <exception cref="PotteryException">The acquisition was no longer held, or Redis could not be asked.</exception>
    void Release();

    /// <summary>Releases this acquisition (see <see cref="Release"/>).</summary>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>A task that completes once released.</returns>
    /// <exception cref="PotteryException">The acquisition was no longer held, or Redis could not be asked.</exception>
    ValueTask ReleaseAsync(CancellationToken cancellationToken = default);
}

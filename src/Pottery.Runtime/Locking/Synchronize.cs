using System.ComponentModel;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Runs code while holding a <see cref="Redlock"/> (pottery's <c>synchronize</c>); the
/// <c>[Synchronize]</c> attribute's generated wrappers call these. The lock is acquired as
/// <see cref="Redlock.Acquire"/> does (waiting as long as it takes unless a timeout is given),
/// and released when the body ends, however it ends.
/// </summary>
public static class Synchronize
{
    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/>.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    public static void Run(Redlock redlock, Action body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        using (redlock.Acquire(timeout))
        {
            body();
        }
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/> and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    public static T Run<T>(Redlock redlock, Func<T> body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        using (redlock.Acquire(timeout))
        {
            return body();
        }
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/>; the body's token fires when the lock is lost or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="RedlockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static void Run(Redlock redlock, Action<CancellationToken> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run(redlock, token => { body(token); return true; }, timeout, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/> and returns its result; the body's token fires when the lock is lost or <paramref name="cancellationToken"/> fires.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="RedlockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static T Run<T>(Redlock redlock, Func<CancellationToken, T> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        // Acquired here and the body run on the caller's thread, not in a continuation.
        using var handle = Sync.Wait(redlock.AcquireAsync(timeout, cancellationToken));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handle.LostToken);
        return body(linked.Token);
    }

    /// <summary>Runs asynchronous <paramref name="body"/> under <paramref name="redlock"/>; the body's token fires when the lock is lost or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="RedlockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>A task that completes when the body did and the lock is released.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static async ValueTask RunAsync(Redlock redlock, Func<CancellationToken, ValueTask> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await RunAsync(redlock, async token => { await body(token).ConfigureAwait(false); return true; }, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs asynchronous <paramref name="body"/> under <paramref name="redlock"/> and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="RedlockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static async ValueTask<T> RunAsync<T>(Redlock redlock, Func<CancellationToken, ValueTask<T>> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        var handle = await redlock.AcquireAsync(timeout, cancellationToken).ConfigureAwait(false);
        await using (handle.ConfigureAwait(false))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handle.LostToken);
            return await body(linked.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The lock a generated wrapper whose key has no parameters keeps in <paramref name="cache"/>:
    /// the cached description while it is over the same master, else a new one, which is then kept.
    /// Descriptions are immutable, so threads may share and race to replace one harmlessly.
    /// </summary>
    /// <param name="cache">The wrapper's static field.</param>
    /// <param name="key">The lock's name.</param>
    /// <param name="master">The master the wrapper's type names now.</param>
    /// <param name="autoReleaseTime">The auto-release time.</param>
    /// <returns>A description of the lock over <paramref name="master"/>.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static Redlock Cached(ref Redlock? cache, string key, IDatabase master, TimeSpan autoReleaseTime)
    {
        var cached = Volatile.Read(ref cache);
        if (cached is not null && cached.Masters.Length == 1 && ReferenceEquals(cached.Masters[0], master))
        {
            return cached;
        }

        var created = new Redlock(key, master, autoReleaseTime);
        Volatile.Write(ref cache, created);
        return created;
    }

    /// <summary>
    /// The lock a generated wrapper whose key has no parameters keeps in <paramref name="cache"/>: the
    /// cached description while it is over the same masters in the same order, else a new one.
    /// </summary>
    /// <param name="cache">The wrapper's static field.</param>
    /// <param name="key">The lock's name.</param>
    /// <param name="masters">The masters the wrapper's type names now.</param>
    /// <param name="autoReleaseTime">The auto-release time.</param>
    /// <returns>A description of the lock over <paramref name="masters"/>.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static Redlock Cached(ref Redlock? cache, string key, IEnumerable<IDatabase> masters, TimeSpan autoReleaseTime)
    {
        var cached = Volatile.Read(ref cache);
        if (cached is not null && SameMasters(cached.Masters, masters))
        {
            return cached;
        }

        var created = new Redlock(key, masters, autoReleaseTime);
        Volatile.Write(ref cache, created);
        return created;
    }

    private static bool SameMasters(IDatabase[] cached, IEnumerable<IDatabase> masters)
    {
        if (masters is IReadOnlyList<IDatabase> list)
        {
            if (list.Count != cached.Length)
            {
                return false;
            }

            for (var i = 0; i < cached.Length; i++)
            {
                if (!ReferenceEquals(list[i], cached[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return masters is not null && cached.SequenceEqual(masters, ReferenceEqualityComparer.Instance);
    }
}

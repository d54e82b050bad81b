using System.ComponentModel;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Runs code while holding a lock (pottery's <c>synchronize</c>): a <see cref="Redlock"/>, a permit
/// of a <see cref="RedisSemaphore"/>, a side of a <see cref="RedisReaderWriterLock"/>, or any <see cref="IRedisLock"/>; the <c>[Synchronize]</c>
/// attribute's generated wrappers call these. The lock is acquired as <see cref="IRedisLock.Acquire"/>
/// does (waiting as long as it takes unless a timeout is given), and released when the body ends,
/// however it ends.
/// </summary>
public static class Synchronize
{
    /// <summary>Runs <paramref name="body"/> under <paramref name="redisLock"/>.</summary>
    /// <param name="redisLock">The lock: a <see cref="Redlock"/>, a <see cref="RedisSemaphore"/>, or any <see cref="IRedisLock"/>.</param>
    /// <param name="body">The code to run.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    public static void Run(IRedisLock redisLock, Action body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(redisLock);
        ArgumentNullException.ThrowIfNull(body);
        using (redisLock.Acquire(timeout))
        {
            body();
        }
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redisLock"/> and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redisLock">The lock: a <see cref="Redlock"/>, a <see cref="RedisSemaphore"/>, or any <see cref="IRedisLock"/>.</param>
    /// <param name="body">The code to run.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    public static T Run<T>(IRedisLock redisLock, Func<T> body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(redisLock);
        ArgumentNullException.ThrowIfNull(body);
        using (redisLock.Acquire(timeout))
        {
            return body();
        }
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redisLock"/>; the body's token fires when the lock is lost or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="redisLock">The lock: a <see cref="Redlock"/>, a <see cref="RedisSemaphore"/>, or any <see cref="IRedisLock"/>.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="IRedisLockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static void Run(IRedisLock redisLock, Action<CancellationToken> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run(redisLock, token => { body(token); return true; }, timeout, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redisLock"/> and returns its result; the body's token fires when the lock is lost or <paramref name="cancellationToken"/> fires.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redisLock">The lock: a <see cref="Redlock"/>, a <see cref="RedisSemaphore"/>, or any <see cref="IRedisLock"/>.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="IRedisLockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static T Run<T>(IRedisLock redisLock, Func<CancellationToken, T> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redisLock);
        ArgumentNullException.ThrowIfNull(body);
        // Acquired here and the body run on the caller's thread, not in a continuation.
        using var handle = Sync.Wait(redisLock.AcquireAsync(timeout, cancellationToken));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handle.LostToken);
        return body(linked.Token);
    }

    /// <summary>Runs asynchronous <paramref name="body"/> under <paramref name="redisLock"/>; the body's token fires when the lock is lost or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="redisLock">The lock: a <see cref="Redlock"/>, a <see cref="RedisSemaphore"/>, or any <see cref="IRedisLock"/>.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="IRedisLockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>A task that completes when the body did and the lock is released.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static async ValueTask RunAsync(IRedisLock redisLock, Func<CancellationToken, ValueTask> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await RunAsync(redisLock, async token => { await body(token).ConfigureAwait(false); return true; }, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs asynchronous <paramref name="body"/> under <paramref name="redisLock"/> and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redisLock">The lock: a <see cref="Redlock"/>, a <see cref="RedisSemaphore"/>, or any <see cref="IRedisLock"/>.</param>
    /// <param name="body">The code to run; it receives the acquisition's <see cref="IRedisLockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long to wait for the lock; <see langword="null"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public static async ValueTask<T> RunAsync<T>(IRedisLock redisLock, Func<CancellationToken, ValueTask<T>> body, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redisLock);
        ArgumentNullException.ThrowIfNull(body);
        var handle = await redisLock.AcquireAsync(timeout, cancellationToken).ConfigureAwait(false);
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
        return cached is not null && cached.Masters.Length == 1 && ReferenceEquals(cached.Masters[0], master) ? cached : Kept(ref cache, new Redlock(key, master, autoReleaseTime));
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
        return cached is not null && SameMasters(cached.Masters, masters) ? cached : Kept(ref cache, new Redlock(key, masters, autoReleaseTime));
    }

    /// <summary>
    /// The semaphore a generated wrapper whose key has no parameters keeps in <paramref name="cache"/>:
    /// the cached description while it is over the same database, else a new one, which is then kept.
    /// </summary>
    /// <param name="cache">The wrapper's static field.</param>
    /// <param name="key">The semaphore's name.</param>
    /// <param name="database">The database the wrapper's type names now.</param>
    /// <param name="permits">How many holders at once.</param>
    /// <param name="leaseTime">How long a permit lasts unless extended.</param>
    /// <returns>A description of the semaphore over <paramref name="database"/>.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static RedisSemaphore Cached(ref RedisSemaphore? cache, string key, IDatabase database, int permits, TimeSpan leaseTime)
    {
        var cached = Volatile.Read(ref cache);
        return cached is not null && ReferenceEquals(cached.Database, database) ? cached : Kept(ref cache, new RedisSemaphore(key, database, permits, leaseTime));
    }

    /// <summary>
    /// The reader-writer lock a generated wrapper whose key has no parameters keeps in
    /// <paramref name="cache"/>: the cached description while it is over the same database, else a new one.
    /// </summary>
    /// <param name="cache">The wrapper's static field.</param>
    /// <param name="key">The lock's name.</param>
    /// <param name="database">The database the wrapper's type names now.</param>
    /// <param name="leaseTime">How long a read or write lasts unless extended.</param>
    /// <returns>A description of the lock over <paramref name="database"/>.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static RedisReaderWriterLock Cached(ref RedisReaderWriterLock? cache, string key, IDatabase database, TimeSpan leaseTime)
    {
        var cached = Volatile.Read(ref cache);
        return cached is not null && ReferenceEquals(cached.Database, database) ? cached : Kept(ref cache, new RedisReaderWriterLock(key, database, leaseTime));
    }

    // Descriptions are immutable, so threads may share one and race to replace it harmlessly.
    private static T Kept<T>(ref T? cache, T created)
        where T : class
    {
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

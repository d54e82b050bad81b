namespace Pottery;

/// <summary>
/// Runs code while holding a <see cref="Redlock"/> (pottery's <c>synchronize</c>); the
/// <c>[Synchronize]</c> attribute's generated wrappers call these.
/// </summary>
public static class Synchronize
{
    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/>, acquired as its scope options say.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run.</param>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    public static void Run(Redlock redlock, Action body)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        using (redlock.Lock())
        {
            body();
        }
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/> and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    public static T Run<T>(Redlock redlock, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        using (redlock.Lock())
        {
            return body();
        }
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/>; the token cancels the wait for the lock.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives a token that fires when the lock is lost or <paramref name="cancellationToken"/> fires.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    public static void Run(Redlock redlock, Action<CancellationToken> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run(redlock, token => { body(token); return true; }, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> under <paramref name="redlock"/> and returns its result; the token cancels the wait for the lock.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives a token that fires when the lock is lost or <paramref name="cancellationToken"/> fires.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    public static T Run<T>(Redlock redlock, Func<CancellationToken, T> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        using var handle = redlock.LockAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handle.LostToken);
        return body(linked.Token);
    }

    /// <summary>Runs asynchronous <paramref name="body"/> under <paramref name="redlock"/>; the token cancels the wait for the lock and is passed on.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives the lock handle's <see cref="RedlockHandle.LostToken"/> linked with <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>A task that completes when the body did and the lock is released.</returns>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    public static async Task RunAsync(Redlock redlock, Func<CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await RunAsync(redlock, async token => { await body(token).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs asynchronous <paramref name="body"/> under <paramref name="redlock"/> and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="redlock">The lock.</param>
    /// <param name="body">The code to run; it receives a token that fires when the lock is lost or <paramref name="cancellationToken"/> fires.</param>
    /// <param name="cancellationToken">Cancels waiting and the body.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    public static async Task<T> RunAsync<T>(Redlock redlock, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redlock);
        ArgumentNullException.ThrowIfNull(body);
        var handle = await redlock.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (handle.ConfigureAwait(false))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handle.LostToken);
            return await body(linked.Token).ConfigureAwait(false);
        }
    }
}

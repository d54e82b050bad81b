using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A flag shared by processes, like Python's <c>threading.Event</c> or .NET's
/// <see cref="ManualResetEventSlim"/>: <see cref="SetAsync"/> raises it and wakes every waiter,
/// <see cref="ClearAsync"/> lowers it, <see cref="WaitAsync"/> waits until it is raised. The key
/// holds <c>1</c> while the event is set and does not exist while it is clear.
/// </summary>
/// <remarks>
/// Waiters listen on the event's pub/sub channel only while they wait, and try again after
/// <see cref="RetryPause"/> even without a wake-up (an announcement lost while a connection was down
/// only delays them). A waiter that misses a set followed at once by a clear may miss the set, as
/// with any event whose state is read rather than queued.
/// </remarks>
public sealed class RedisEvent : RedisObject
{
    private const string SetSuffix = ":set";
    private TimeSpan _retryPause = TimeSpan.FromSeconds(1);

    /// <summary>Opens the event at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix applies.</param>
    /// <param name="key">The event's key, or <see langword="null"/> for a random one.</param>
    public RedisEvent(IDatabase database, RedisKey? key = null)
        : base(database, key)
    {
    }

    /// <summary>The longest a waiter waits without a wake-up before looking again.</summary>
    internal TimeSpan RetryPause
    {
        get => _retryPause;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _retryPause = value;
        }
    }

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.String;

    /// <summary>Raises the event and wakes every waiter, in every process.</summary>
    public void Set() => Sync.Wait(SetAsync());

    /// <summary>Raises the event and wakes every waiter, in every process.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply (the event may be set all the same).</param>
    /// <returns>A task that completes when the event is set.</returns>
    public async ValueTask SetAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await CallAsync(0, static (d, k, _) => d.StringSetAsync(k, 1), static (_, _, _) => true, cancellationToken).ConfigureAwait(false);
        WakeUpChannel.Publish(Database, Key, SetSuffix);
    }

    /// <summary>Lowers the event: waiters from now on wait again.</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Lowers the event: waiters from now on wait again.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the event is clear.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return CallAsync(0, static (d, k, _) => d.KeyDeleteAsync(k), cancellationToken);
    }

    /// <summary>Whether the event is set.</summary>
    /// <returns><see langword="true"/> while it is set.</returns>
    /// <exception cref="WrongTypeException">The key holds something other than a string.</exception>
    public bool IsSet() => Sync.Wait(IsSetAsync());

    /// <summary>Whether the event is set.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns><see langword="true"/> while it is set.</returns>
    /// <exception cref="WrongTypeException">The key holds something other than a string.</exception>
    public ValueTask<bool> IsSetAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ReadAsync(cancellationToken);
    }

    /// <summary>Waits until the event is set, for at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may wait: <see cref="TimeSpan.Zero"/> looks once; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <returns>Whether the event was set (<see langword="false"/>: the time ran out).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public bool Wait(TimeSpan? timeout = null) => Sync.Wait(WaitAsync(timeout));

    /// <summary>Waits until the event is set, for at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may wait: <see cref="TimeSpan.Zero"/> looks once; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether the event was set (<see langword="false"/>: the time ran out).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public ValueTask<bool> WaitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = Deadline.After(timeout ?? Timeout.InfiniteTimeSpan);
        ThrowIfDisposed();
        return WakeUpWait.ForAsync(Database, Key, SetSuffix, deadline, RetryPause, this, static (e, t) => e.ReadAsync(t), static set => set, cancellationToken);
    }

    private ValueTask<bool> ReadAsync(CancellationToken cancellationToken) =>
        CallAsync(0, static (d, k, _) => d.StringGetAsync(k), static (value, _, _) => !value.IsNull, cancellationToken);
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A latch shared by processes, like Java's <c>CountDownLatch</c> or .NET's <see cref="CountdownEvent"/>:
/// it opens once it has been signalled <see cref="InitialCount"/> times, from any processes, and stays
/// open; <see cref="WaitAsync"/> waits until it is open. The key holds the count left once the first
/// signal came (before that, the count is <see cref="InitialCount"/>).
/// </summary>
/// <remarks>Every process opening the same key should give the same initial count: the first signal fixes it.</remarks>
public sealed class RedisCountdownLatch : RedisObject
{
    private const string OpenSuffix = ":open";
    private static readonly IRedisCodec<int> CountCodec = RedisCodecs.For<int>();
    private TimeSpan _retryPause = TimeSpan.FromSeconds(1);

    /// <summary>Opens the latch at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix applies.</param>
    /// <param name="initialCount">How many signals open the latch.</param>
    /// <param name="key">The latch's key, or <see langword="null"/> for a random one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is less than 1.</exception>
    public RedisCountdownLatch(IDatabase database, int initialCount, RedisKey? key = null)
        : base(database, key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCount, 1);
        InitialCount = initialCount;
    }

    /// <summary>How many signals open the latch.</summary>
    public int InitialCount { get; }

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

    /// <summary>Counts the latch down; the signal that takes it to 0 opens it and wakes every waiter.</summary>
    /// <param name="signalCount">How many signals this is.</param>
    /// <returns>Whether this signal opened the latch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signalCount"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The latch is already open, or has fewer signals left than <paramref name="signalCount"/>; nothing was counted.</exception>
    public bool Signal(int signalCount = 1) => Sync.Wait(SignalAsync(signalCount));

    /// <summary>Counts the latch down; the signal that takes it to 0 opens it and wakes every waiter.</summary>
    /// <param name="signalCount">How many signals this is.</param>
    /// <param name="cancellationToken">Stops waiting for the reply (the signal may count all the same).</param>
    /// <returns>Whether this signal opened the latch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signalCount"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The latch is already open, or has fewer signals left than <paramref name="signalCount"/>; nothing was counted.</exception>
    public async ValueTask<bool> SignalAsync(int signalCount = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signalCount, 1);
        ThrowIfDisposed();
        var left = await EvaluateAsync(CoordinationScripts.Signal, [Key], [InitialCount, signalCount], 0, static (reply, _, _) => (long)reply, cancellationToken).ConfigureAwait(false);
        if (left < 0)
        {
            throw new InvalidOperationException($"The latch '{Key}' has fewer than {signalCount} signal(s) left: it takes {InitialCount} in all.");
        }

        if (left == 0)
        {
            WakeUpChannel.Publish(Database, Key, OpenSuffix);
        }

        return left == 0;
    }

    /// <summary>How many signals the latch still needs; 0 once it is open.</summary>
    /// <returns>The count.</returns>
    /// <exception cref="WrongTypeException">The key holds something other than a string.</exception>
    public int CurrentCount() => Sync.Wait(CurrentCountAsync());

    /// <summary>How many signals the latch still needs; 0 once it is open.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    /// <exception cref="WrongTypeException">The key holds something other than a string.</exception>
    public ValueTask<int> CurrentCountAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ReadAsync(cancellationToken);
    }

    /// <summary>Waits until the latch is open, for at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may wait: <see cref="TimeSpan.Zero"/> looks once; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <returns>Whether the latch opened (<see langword="false"/>: the time ran out).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public bool Wait(TimeSpan? timeout = null) => Sync.Wait(WaitAsync(timeout));

    /// <summary>Waits until the latch is open, for at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may wait: <see cref="TimeSpan.Zero"/> looks once; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether the latch opened (<see langword="false"/>: the time ran out).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public ValueTask<bool> WaitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = Deadline.After(timeout ?? Timeout.InfiniteTimeSpan);
        ThrowIfDisposed();
        return WakeUpWait.ForAsync(Database, Key, OpenSuffix, deadline, RetryPause, this, static (l, t) => l.ReadAsync(t), static count => count == 0, cancellationToken);
    }

    private ValueTask<int> ReadAsync(CancellationToken cancellationToken) =>
        CallAsync(InitialCount, static (d, k, _) => d.StringGetAsync(k), static (value, initial, k) => value.IsNull ? initial : CountCodec.DecodeAt(value, k, "(the count)"), cancellationToken);
}

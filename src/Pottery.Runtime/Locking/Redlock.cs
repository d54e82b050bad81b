using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A distributed lock over one or more independent Redis masters, implementing the Redlock
/// algorithm with pottery's semantics (pottery's <c>Redlock</c>): an acquisition holds the lock when
/// a quorum (n/2+1) of masters accepted its random token before its validity (auto-release time
/// minus elapsed time minus clock drift) ran out. Keys are <c>redlock:&lt;key&gt;</c>, as pottery's,
/// so Python and .NET processes exclude each other.
/// </summary>
/// <remarks>
/// <para>A <see cref="Redlock"/> only describes the lock (key, masters, options): it is immutable,
/// cheap to create, safe to share between threads, and holds nothing. Each acquisition is a
/// <see cref="RedlockHandle"/> that owns its token, validity, fencing token, extensions and
/// watchdog; extending, releasing or disposing a handle only ever touches that acquisition.
/// Masters are contacted in parallel, and an acquire, extend or release returns once a quorum
/// agreed (the other masters' commands still run).</para>
/// <para>Acquirers of one lock within a process wait in line, in arrival order: only the first tries
/// in Redis, and a holder that releases (or whose validity ends) hands the line to the next, whose
/// SET NX follows the release down the same connections. Descriptions with the same key and the same
/// master <see cref="IDatabase"/> objects share the line, however many are created. A single try (a
/// zero timeout) does not wait in line: it fails at once while another acquirer of the process holds
/// or tries the lock. An acquire waiting for a holder in another process wakes when it releases (the
/// release publishes on the lock's key plus <c>:released</c>) and otherwise retries after a random
/// pause of up to <see cref="RetryDelay"/>.</para>
/// <para>A lock with <see cref="Fenced"/> set gives each acquisition a <see cref="RedlockHandle.FencingToken"/>:
/// a number greater than that of every earlier successful acquisition of the key, as long as the
/// masters keep their data (a master restarted without persistence forgets its counter). Pass it to
/// the resource you protect and have it reject smaller tokens: that stops a holder whose lock expired
/// (a long GC pause, say) from writing after the next holder, which no lock timing alone can prevent.
/// The counter must never go backwards, so it never expires: a fenced lock leaves one key per lock
/// name (the lock's key plus <c>:fence</c>) for good, and an unfenced one leaves nothing once released.</para>
/// <para>Each master counts with an <c>INCR</c> sent right behind the acquire's <c>SET NX PX</c> on the
/// same connection (the counter shares the lock's hash slot), so it runs after the SET. A try is
/// accepted only if its replies came back within its validity, so an accepted try's count was taken
/// while it still held the lock; a later holder's SET, and so its INCR, can only run once that lock
/// was released or expired. On a master in both quorums the later count is therefore larger.</para>
/// <para>Every call is bounded: an acquire by its timeout (rounds included), the other calls by the
/// client's command timeout or the auto-release time. "Someone else holds it" (<see langword="null"/>,
/// <see cref="TimeoutException"/>, <see cref="ReleaseUnlockedLockException"/>) is never the answer when
/// too few masters could be asked: that is <see cref="QuorumIsImpossibleException"/>. A master that
/// fails outright (refused connection, error reply) counts at once; a silent one (paused, partitioned)
/// counts when the call ends without its answer: after a single try's whole round, at the end of a
/// timed acquire that gave it at least half its time, or when a release, extension or
/// <see cref="HeldFor"/> round ends.</para>
/// </remarks>
public sealed class Redlock : IRedisLock
{
    /// <summary>pottery's default auto-release time.</summary>
    public static readonly TimeSpan DefaultAutoReleaseTime = TimeSpan.FromSeconds(10);

    // Timers and waits take at most int.MaxValue milliseconds (about 24.8 days).
    internal static readonly TimeSpan LongestDuration = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly TimeSpan _retryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Creates a lock over <paramref name="masters"/> (1, 3 or 5 independent servers in practice).</summary>
    /// <param name="key">The lock's name; Redis keys are <c>redlock:&lt;key&gt;</c>.</param>
    /// <param name="masters">One database per independent master.</param>
    /// <param name="autoReleaseTime">How long an acquisition lasts unless extended; 10 s by default.</param>
    /// <param name="maxExtensions">How many times one acquisition may be extended; 3 by default, <see cref="int.MaxValue"/> for no limit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="autoReleaseTime"/> is not longer than the clock drift allowance (1% of it plus 2 ms) or longer than about 24.8 days, or <paramref name="maxExtensions"/> is negative.</exception>
    public Redlock(string key, IEnumerable<IDatabase> masters, TimeSpan? autoReleaseTime = null, int maxExtensions = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(masters);
        Masters = masters.ToArray();
        if (Masters.Length == 0)
        {
            throw new ArgumentException("A lock needs at least one master.", nameof(masters));
        }

        if (Array.Exists(Masters, static master => master is null))
        {
            throw new ArgumentException("A master is null.", nameof(masters));
        }

        AutoReleaseTime = autoReleaseTime ?? DefaultAutoReleaseTime;
        if (AutoReleaseTime <= DriftOf(AutoReleaseTime) || AutoReleaseTime > LongestDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(autoReleaseTime), AutoReleaseTime, "The auto-release time must exceed the clock drift allowance (1% of it plus 2 ms) and be at most int.MaxValue milliseconds.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxExtensions);
        MaxExtensions = maxExtensions;
        Name = key;
        Key = "redlock:" + key;
        Keys = [Key];
        Drift = DriftOf(AutoReleaseTime);
        RoundWait = RoundWaitOf(Masters, AutoReleaseTime);
        LocalQueue = new(Key, Masters, 1, Validity);
    }

    /// <summary>Creates a lock on a single Redis server.</summary>
    /// <param name="key">The lock's name; the Redis key is <c>redlock:&lt;key&gt;</c>.</param>
    /// <param name="master">The server's database.</param>
    /// <param name="autoReleaseTime">How long an acquisition lasts unless extended; 10 s by default.</param>
    /// <param name="maxExtensions">How many times one acquisition may be extended; 3 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">See <see cref="Redlock(string, IEnumerable{IDatabase}, TimeSpan?, int)"/>.</exception>
    public Redlock(string key, IDatabase master, TimeSpan? autoReleaseTime = null, int maxExtensions = 3)
        : this(key, [master], autoReleaseTime, maxExtensions)
    {
    }

    /// <summary>The lock's name as given.</summary>
    public string Name { get; }

    /// <summary>The Redis key on every master: <c>redlock:&lt;name&gt;</c> (behind the database's key prefix, if any).</summary>
    public RedisKey Key { get; }

    /// <summary>How long an acquisition lasts unless extended.</summary>
    public TimeSpan AutoReleaseTime { get; }

    /// <summary>How many times one acquisition may be extended (pottery's <c>num_extensions</c>).</summary>
    public int MaxExtensions { get; }

    /// <summary>How many masters must agree: n/2+1.</summary>
    public int Quorum => Masters.Length / 2 + 1;

    /// <summary>The longest random pause between tries when no release announcement arrives; 200 ms by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or longer than about 24.8 days.</exception>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        init
        {
            if (value <= TimeSpan.Zero || value > LongestDuration)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The retry delay must be positive and at most int.MaxValue milliseconds.");
            }

            _retryDelay = value;
        }
    }

    /// <summary>
    /// Whether each acquisition keeps renewing itself every third of <see cref="AutoReleaseTime"/>
    /// until it is released (a watchdog, as Redisson's), without counting towards
    /// <see cref="MaxExtensions"/>. A holder that dies stops renewing, so the lock still frees
    /// itself; a renewal that fails fires the handle's <see cref="RedlockHandle.LostToken"/>.
    /// </summary>
    public bool AutoExtend { get; init; }

    /// <summary>
    /// Whether each acquisition draws a <see cref="RedlockHandle.FencingToken"/>; off by default. The
    /// counter that numbers them (the lock's key plus <c>:fence</c>, in its hash slot) must never go
    /// backwards, so it never expires: a fenced lock leaves one key per lock name for good. Healthy
    /// masters add no round trip: each master's <c>INCR</c> travels right behind its <c>SET NX PX</c>.
    /// </summary>
    public bool Fenced
    {
        get => Keys.Length == 2;
        init => Keys = value ? [Key, DerivedKey.For(Key, "fence")] : [Key];
    }

    /// <summary>One database per master, in the order given.</summary>
    internal IDatabase[] Masters { get; }

    /// <summary>What this process's acquirers of the lock share their turns by (<see cref="LocalLockQueue"/>).</summary>
    internal LocalLockQueue.QueueName LocalQueue { get; }

    /// <summary>The lock's key and, when <see cref="Fenced"/>, its fencing counter, in the lock's hash slot.</summary>
    internal RedisKey[] Keys { get; private set; }

    /// <summary>pottery's clock drift allowance: 1% of the auto-release time plus 2 ms.</summary>
    internal TimeSpan Drift { get; }

    /// <summary>The validity a fresh acquisition or renewal gives: the auto-release time less drift.</summary>
    internal TimeSpan Validity => AutoReleaseTime - Drift;

    /// <summary>How long a round waits for masters (see <see cref="RoundWaitOf"/>).</summary>
    internal TimeSpan RoundWait { get; }

    /// <summary>Tries to acquire the lock: once (<see cref="TimeSpan.Zero"/>, the default), for up to <paramref name="timeout"/>, or as long as it takes (<see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    /// <param name="timeout">How long the whole call may take.</param>
    /// <returns>The acquisition, or <see langword="null"/> when the lock could not be had in time.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible, or, when the call's time was up, too few had answered its last try (down, or silent past the client's command timeout): nobody can be said to hold the lock.</exception>
    /// <exception cref="WrongTypeException">A master's fencing counter (the lock's key plus <c>:fence</c>, in its hash slot) holds another Redis type.</exception>
    public RedlockHandle? TryAcquire(TimeSpan timeout = default) => Sync.Wait(TryAcquireAsync(timeout));

    /// <summary>Tries to acquire the lock (see <see cref="TryAcquire"/>).</summary>
    /// <param name="timeout">How long the whole call may take: <see cref="TimeSpan.Zero"/> for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; a try in flight is undone.</param>
    /// <returns>The acquisition, or <see langword="null"/>. Await it once, as any <see cref="ValueTask{TResult}"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible, or, when the call's time was up, too few had answered its last try (down, or silent past the client's command timeout): nobody can be said to hold the lock.</exception>
    /// <exception cref="WrongTypeException">A master's fencing counter (the lock's key plus <c>:fence</c>, in its hash slot) holds another Redis type.</exception>
    public ValueTask<RedlockHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        RedlockAcquire.StartAsync(this, Checked(timeout), throwAtTimeout: false, cancellationToken);

    /// <summary>Acquires the lock, waiting as long as it takes or up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <returns>The acquisition; dispose it to release the lock.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible, or, when the call's time was up, too few had answered its last try (down, or silent past the client's command timeout): nobody can be said to hold the lock.</exception>
    /// <exception cref="WrongTypeException">A master's fencing counter (the lock's key plus <c>:fence</c>, in its hash slot) holds another Redis type.</exception>
    public RedlockHandle Acquire(TimeSpan? timeout = null) => Sync.Wait(AcquireAsync(timeout));

    /// <summary>Acquires the lock (see <see cref="Acquire"/>).</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; a try in flight is undone.</param>
    /// <returns>The acquisition; dispose it to release the lock. Await it once, as any <see cref="ValueTask{TResult}"/>.</returns>
    /// <exception cref="TimeoutException">The lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible, or, when the call's time was up, too few had answered its last try (down, or silent past the client's command timeout): nobody can be said to hold the lock.</exception>
    /// <exception cref="WrongTypeException">A master's fencing counter (the lock's key plus <c>:fence</c>, in its hash slot) holds another Redis type.</exception>
    public ValueTask<RedlockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        // Never null when throwing at the timeout; one method serves both, so the hot path has one state machine.
        RedlockAcquire.StartAsync(this, Checked(timeout ?? Timeout.InfiniteTimeSpan), throwAtTimeout: true, cancellationToken)!;

    /// <inheritdoc/>
    IRedisLockHandle IRedisLock.Acquire(TimeSpan? timeout) => Acquire(timeout);

    /// <inheritdoc/>
    ValueTask<IRedisLockHandle> IRedisLock.AcquireAsync(TimeSpan? timeout, CancellationToken cancellationToken) =>
        RedisLockHandles.Of(AcquireAsync(timeout, cancellationToken));

    /// <summary>How much longer anyone holds the lock according to a quorum of masters, or zero when it is free; any process can ask.</summary>
    /// <returns>The remaining validity of whoever holds it.</returns>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered for a quorum to tell.</exception>
    public TimeSpan HeldFor() => Sync.Wait(HeldForAsync());

    /// <summary>How much longer anyone holds the lock according to a quorum of masters, or zero when it is free.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The remaining validity of whoever holds it.</returns>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered for a quorum to tell.</exception>
    public ValueTask<TimeSpan> HeldForAsync(CancellationToken cancellationToken = default) =>
        RedlockHeldFor.RemainingAsync(this, RedisValue.EmptyString, cancellationToken);

    /// <summary>
    /// Releases the acquisition identified by <paramref name="token"/> (a <see cref="RedlockHandle.Token"/>),
    /// from any process with the same key and masters (pottery's users ask for this as issue #451).
    /// Only that acquisition is released: a token that expired and was replaced by another holder's releases nothing.
    /// </summary>
    /// <param name="token">The acquisition's token.</param>
    /// <exception cref="ReleaseUnlockedLockException">Enough masters answered that the token did not hold the lock that no quorum held it.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered to release it on a quorum (they are down, or silent past the client's command timeout).</exception>
    public void Release(string token) => Sync.Wait(ReleaseAsync(token));

    /// <summary>Releases the acquisition identified by <paramref name="token"/> (see <see cref="Release"/>).</summary>
    /// <param name="token">The acquisition's token.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when a quorum of masters answered.</returns>
    /// <exception cref="ReleaseUnlockedLockException">Enough masters answered that the token did not hold the lock that no quorum held it.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered to release it on a quorum.</exception>
    public async ValueTask ReleaseAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var tally = await RedlockRelease.ReleaseAsync(this, token, cancellationToken).ConfigureAwait(false);
        if (!tally.Agrees)
        {
            throw RedlockErrors.NotReleased(this, tally, "with the given token", "released, expired, or never acquired");
        }
    }

    internal static TimeSpan DriftOf(TimeSpan autoReleaseTime) => autoReleaseTime * 0.01 + TimeSpan.FromMilliseconds(2);

    internal static TimeSpan Checked(TimeSpan timeout) =>
        timeout >= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan
            ? timeout
            : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout cannot be negative (except Timeout.InfiniteTimeSpan).");

    /// <summary>
    /// How long a round waits for masters: the auto-release time, after which no validity is left.
    /// When every master's client fails unanswered commands sooner (see <see cref="ClientTimeout"/>;
    /// 5 s by default against pottery's 10 s auto-release), a round sets no timer of its own: one
    /// per round costs a measurable share of a lock cycle. This only decides when a silent master is
    /// given up on: safety never depends on it, since a try is accepted only with validity left
    /// when its replies are in.
    /// </summary>
    private static TimeSpan RoundWaitOf(IDatabase[] masters, TimeSpan autoReleaseTime)
    {
        // A loop, not LINQ: generated [Synchronize] wrappers with parameters in the key make one per call.
        foreach (var master in masters)
        {
            if (ClientTimeout.Of(master) is var timeout && (timeout == Timeout.InfiniteTimeSpan || timeout > autoReleaseTime))
            {
                return autoReleaseTime;
            }
        }

        return Timeout.InfiniteTimeSpan;
    }
}

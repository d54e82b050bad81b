using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A distributed counting semaphore: at most <see cref="Permits"/> holders at once, among every
/// process using the same name on one Redis database (a single server, or one slot of a cluster;
/// not several independent masters). Each permit is leased: a holder that dies gives its permit back
/// when the lease ends, as Redisson's permit-expirable semaphore does.
/// </summary>
/// <remarks>
/// <para>A <see cref="RedisSemaphore"/> only describes the semaphore (database, name, permits, lease
/// time): it is immutable, cheap to create, safe to share between threads, and holds nothing. Each
/// acquired permit is a <see cref="RedisSemaphoreHandle"/> that owns its token, validity, extensions
/// and watchdog; releasing or disposing it gives back that permit only.</para>
/// <para>Storage, all in the hash slot of the name: the sorted set <c>semaphore:{&lt;name&gt;}</c> holds
/// the permits' tokens scored by the moment (server time) their lease ends; the waiting line and its
/// waiters' leases are two helper keys next to it (<see cref="DerivedKey"/>). Every acquire, extend
/// and release is one Lua script timed by the server's clock, so clients' clocks do not matter; every
/// key expires with the last lease in it.</para>
/// <para>Fairness: a caller that has to wait joins a line ordered by its arrival (the server's time of
/// its first try), and a permit goes to a waiter only while it is among the first (free permits) of
/// the line; a newcomer, or a single try, gets a permit only when there are more free permits than
/// waiters. So waiters are served in arrival order, except that a waiter that stopped trying
/// (its process died) keeps its place until its own lease lapses (<see cref="WaiterLease"/>), and a
/// waiter delayed longer than that (a long pause) loses its place and rejoins at the back.
/// A release hands its permit to the waiter whose turn it is, on the server, and tells it so
/// (pub/sub, on the key plus <c>:released</c>): that waiter holds the permit without trying again.
/// Waiters otherwise retry after <see cref="RetryDelay"/>, which is also how they notice a permit
/// freed by a dead holder's lease or a lost announcement. A waiter whose process died within its
/// <see cref="WaiterLease"/> may be handed a permit it then holds until the lease ends, as a
/// holder that dies does.</para>
/// <para>Within one process (the same database object), acquirers beyond the permits wait for a
/// turn in the process, in arrival order, and a permit given back goes on to the next of them. It
/// passes as it is (same token, its lease renewed in the background, no round trip) while the
/// server's latest answer to this process, to a request sent within <see cref="HandOverWindow"/>,
/// said no one waited in its line; otherwise the next acquirer's try gives it back first, so that
/// the server's line is served first. Only as many acquirers of a process as there are permits
/// stand in the server's line, so a waiter of another process may be served before a local one
/// that came earlier, at most as many as wait before it locally; and local acquirers that came
/// after a waiter of another process may be served before it only within
/// <see cref="HandOverWindow"/> of its joining the line.</para>
/// </remarks>
public sealed class RedisSemaphore : IRedisLock
{
    /// <summary>The lease of a permit unless another is given: 10 s, as a lock's auto-release time.</summary>
    public static readonly TimeSpan DefaultLeaseTime = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _retryDelay = TimeSpan.FromMilliseconds(200);
    private readonly TimeSpan _handOverWindow = TimeSpan.FromMilliseconds(1);

    /// <summary>Creates a semaphore of <paramref name="permits"/> permits on <paramref name="database"/>.</summary>
    /// <param name="name">The semaphore's name; the Redis key is <c>semaphore:{&lt;name&gt;}</c>.</param>
    /// <param name="database">The Redis database every user of the semaphore shares.</param>
    /// <param name="permits">How many holders may hold a permit at once.</param>
    /// <param name="leaseTime">How long a permit lasts unless extended; 10 s by default.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permits"/> is not positive, or <paramref name="leaseTime"/> does not exceed the clock drift allowance (1% of it plus 2 ms) or is longer than about 24.8 days.</exception>
    public RedisSemaphore(string name, IDatabase database, int permits, TimeSpan? leaseTime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permits);
        LeaseTime = LeaseAcquire.CheckedLeaseTime(leaseTime, DefaultLeaseTime);

        Name = name;
        Database = database;
        Permits = permits;
        Key = "semaphore:{" + name + "}";
        Keys = [Key, DerivedKey.For(Key, "waiting"), DerivedKey.For(Key, "waiters")];
        Drift = Redlock.DriftOf(LeaseTime);
        LocalQueue = new(Key, [database], permits, Validity);
    }

    /// <summary>The semaphore's name as given.</summary>
    public string Name { get; }

    /// <summary>The database the semaphore lives in.</summary>
    public IDatabase Database { get; }

    /// <summary>The sorted set of held permits: <c>semaphore:{&lt;name&gt;}</c> (behind the database's key prefix, if any).</summary>
    public RedisKey Key { get; }

    /// <summary>How many holders may hold a permit at once.</summary>
    public int Permits { get; }

    /// <summary>How long a permit lasts unless extended.</summary>
    public TimeSpan LeaseTime { get; }

    /// <summary>The longest pause between tries when no release announcement arrives; 200 ms by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or longer than about 24.8 days.</exception>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        init => _retryDelay = LeaseAcquire.CheckedRetryDelay(value);
    }

    /// <summary>
    /// Whether each permit keeps renewing its lease every third of <see cref="LeaseTime"/> until it
    /// is released (a watchdog). A holder that dies stops renewing, so its permit still comes back;
    /// a renewal that fails fires the handle's <see cref="RedisSemaphoreHandle.LostToken"/>.
    /// </summary>
    public bool AutoExtend { get; init; }

    /// <summary>
    /// How recent the server's word that no one waits in its line must be for a permit given back in
    /// this process to pass straight to the process's next waiting acquirer, as it is, without asking
    /// the server (its lease is then renewed in the background); 1 ms by default. So a waiter of
    /// another process may see acquirers of this process that came after it served first for at most
    /// this long after it joined the line. <see cref="TimeSpan.Zero"/> sends every permit back through
    /// the server.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or longer than about 24.8 days.</exception>
    public TimeSpan HandOverWindow
    {
        get => _handOverWindow;
        init => _handOverWindow = value >= TimeSpan.Zero && value <= Redlock.LongestDuration
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The hand-over window must be zero or positive and at most int.MaxValue milliseconds.");
    }

    /// <summary>How long a waiter keeps its place in line without trying again: four retry delays plus one second.</summary>
    public TimeSpan WaiterLease => LeaseAcquire.WaiterLeaseFor(RetryDelay);

    /// <summary>The permits, the waiting line and the waiters' leases, in one hash slot.</summary>
    internal RedisKey[] Keys { get; }

    /// <summary>What this process's acquirers of the semaphore share their turns by (<see cref="LocalLockQueue"/>).</summary>
    internal LocalLockQueue.QueueName LocalQueue { get; }

    /// <summary>The clock drift allowance: 1% of the lease time plus 2 ms.</summary>
    internal TimeSpan Drift { get; }

    /// <summary>How long a fresh or renewed permit counts as held by the local clock: the lease less drift.</summary>
    internal TimeSpan Validity => LeaseTime - Drift;

    /// <summary>Tries to acquire a permit: once (<see cref="TimeSpan.Zero"/>, the default), for up to <paramref name="timeout"/>, or as long as it takes (<see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    /// <param name="timeout">How long the whole call may take.</param>
    /// <returns>The permit, or <see langword="null"/> when none could be had in time.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key (or a helper key) holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public RedisSemaphoreHandle? TryAcquire(TimeSpan timeout = default) => Sync.Wait(TryAcquireAsync(timeout));

    /// <summary>Tries to acquire a permit (see <see cref="TryAcquire"/>).</summary>
    /// <param name="timeout">How long the whole call may take: <see cref="TimeSpan.Zero"/> for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; the caller leaves the line and a try in flight is undone.</param>
    /// <returns>The permit, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key (or a helper key) holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<RedisSemaphoreHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        SemaphoreAcquire.RunAsync(this, Redlock.Checked(timeout), throwAtTimeout: false, cancellationToken);

    /// <summary>Acquires a permit, waiting as long as it takes or up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <returns>The permit; dispose it to give it back.</returns>
    /// <exception cref="TimeoutException">No permit could be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key (or a helper key) holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public RedisSemaphoreHandle Acquire(TimeSpan? timeout = null) => Sync.Wait(AcquireAsync(timeout));

    /// <summary>Acquires a permit (see <see cref="Acquire"/>).</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; the caller leaves the line and a try in flight is undone.</param>
    /// <returns>The permit; dispose it to give it back.</returns>
    /// <exception cref="TimeoutException">No permit could be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">The semaphore's key (or a helper key) holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<RedisSemaphoreHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        // Never null when throwing at the timeout.
        SemaphoreAcquire.RunAsync(this, Redlock.Checked(timeout ?? Timeout.InfiniteTimeSpan), throwAtTimeout: true, cancellationToken)!;

    /// <inheritdoc/>
    IRedisLockHandle IRedisLock.Acquire(TimeSpan? timeout) => Acquire(timeout);

    /// <inheritdoc/>
    ValueTask<IRedisLockHandle> IRedisLock.AcquireAsync(TimeSpan? timeout, CancellationToken cancellationToken) =>
        RedisLockHandles.Of(AcquireAsync(timeout, cancellationToken));

    /// <summary>How many permits no unexpired lease holds right now (waiters in line may be about to take them).</summary>
    /// <returns>From 0 to <see cref="Permits"/>.</returns>
    /// <exception cref="WrongTypeException">The semaphore's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public int AvailableCount() => Sync.Wait(AvailableCountAsync());

    /// <summary>How many permits no unexpired lease holds right now.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>From 0 to <see cref="Permits"/>.</returns>
    /// <exception cref="WrongTypeException">The semaphore's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<int> AvailableCountAsync(CancellationToken cancellationToken = default) =>
        RedisCall.Script(Database, Key, RedisType.SortedSet, SemaphoreScripts.Available, [Key], [Permits], 0, static (reply, _, _) => (int)reply, cancellationToken);
}

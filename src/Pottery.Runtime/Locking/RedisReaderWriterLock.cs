using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A distributed reader-writer lock: many readers at once or one writer, among every process using
/// the same name on one Redis database (a single server, or one slot of a cluster; not several
/// independent masters). Each read or write is leased: a holder that dies lets go when its lease
/// ends. Writers come first: once a writer waits, new readers wait behind it, so a steady stream of
/// readers never starves writers.
/// </summary>
/// <remarks>
/// <para>A <see cref="RedisReaderWriterLock"/> only describes the lock (database, name, lease time):
/// it is immutable, cheap to create, safe to share between threads, and holds nothing. Each
/// acquisition is a <see cref="RedisReaderWriterLockHandle"/> that owns its token, validity,
/// extensions and watchdog; releasing or disposing it gives back that acquisition only.</para>
/// <para>No upgrade: a read never becomes a write. A caller that asks for the write lock while it
/// still holds a read of the same lock waits for its own read: its claim keeps new readers out, and
/// it could only be granted once that read is lost (its lease ended; with <see cref="AutoExtend"/>
/// never). So the call ends at its timeout (a single try at once), returning <see langword="null"/>
/// or throwing <see cref="TimeoutException"/>, with the read still held (when the timeout is shorter
/// than the lease) and the claim withdrawn; without a timeout it waits for as long as the read is
/// renewed. Release the read first, then acquire the write and read again what the write depends
/// on: another writer may have come in between.</para>
/// <para>Storage, all in the hash slot of the name: the sorted set <c>rwlock:{&lt;name&gt;}</c> holds
/// the readers' tokens scored by the moment (server time) their lease ends, and three helper keys
/// next to it (<see cref="DerivedKey"/>) hold the writer, the writers' waiting line and the waiting
/// writers' leases. Every acquire, extend and release is one Lua script timed by the server's clock,
/// so clients' clocks do not matter; every key expires with the last lease in it.</para>
/// <para>Waiting: writers wait in a line ordered by arrival and are served in that order; a waiting
/// writer that stopped trying (its process died) keeps its place, and keeps readers out, only until
/// its own lease lapses (<see cref="WaiterLease"/>). Readers do not queue: they are let in together as
/// soon as no writer holds or waits. Waiters learn of a chance from announcements (pub/sub, on the
/// key plus <c>:writable</c> for writers and <c>:readable</c> for readers) and otherwise retry after
/// <see cref="RetryDelay"/>, which is also how they notice a lease that ended because its holder died.</para>
/// </remarks>
public sealed class RedisReaderWriterLock
{
    /// <summary>The lease of a read or write unless another is given: 10 s, as a lock's auto-release time.</summary>
    public static readonly TimeSpan DefaultLeaseTime = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _retryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Creates a reader-writer lock on <paramref name="database"/>.</summary>
    /// <param name="name">The lock's name; the Redis key of its readers is <c>rwlock:{&lt;name&gt;}</c>.</param>
    /// <param name="database">The Redis database every user of the lock shares.</param>
    /// <param name="leaseTime">How long a read or write lasts unless extended; 10 s by default.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="leaseTime"/> does not exceed the clock drift allowance (1% of it plus 2 ms) or is longer than about 24.8 days.</exception>
    public RedisReaderWriterLock(string name, IDatabase database, TimeSpan? leaseTime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(database);
        LeaseTime = LeaseAcquire.CheckedLeaseTime(leaseTime, DefaultLeaseTime);

        Name = name;
        Database = database;
        Key = "rwlock:{" + name + "}";
        WriterKey = DerivedKey.For(Key, "writer");
        Keys = [Key, WriterKey, DerivedKey.For(Key, "waiting"), DerivedKey.For(Key, "waiters")];
        Drift = Redlock.DriftOf(LeaseTime);
    }

    /// <summary>The lock's name as given.</summary>
    public string Name { get; }

    /// <summary>The database the lock lives in.</summary>
    public IDatabase Database { get; }

    /// <summary>The sorted set of readers: <c>rwlock:{&lt;name&gt;}</c> (behind the database's key prefix, if any); the lock's other keys derive from it.</summary>
    public RedisKey Key { get; }

    /// <summary>How long a read or write lasts unless extended.</summary>
    public TimeSpan LeaseTime { get; }

    /// <summary>The longest pause between tries when no announcement arrives; 200 ms by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or longer than about 24.8 days.</exception>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        init => _retryDelay = LeaseAcquire.CheckedRetryDelay(value);
    }

    /// <summary>
    /// Whether each acquisition keeps renewing its lease every third of <see cref="LeaseTime"/> until
    /// it is released (a watchdog). A holder that dies stops renewing, so its lease still ends; a
    /// renewal that fails fires the handle's <see cref="RedisReaderWriterLockHandle.LostToken"/>.
    /// </summary>
    public bool AutoExtend { get; init; }

    /// <summary>The read side as an <see cref="IRedisLock"/>: acquiring it is <see cref="AcquireReadAsync"/>.</summary>
    /// <remarks>For code that takes any lock, such as <see cref="Synchronize"/> and <c>[Synchronize(Mode = SynchronizeMode.Read)]</c>.</remarks>
    public IRedisLock ReadLock => new ReaderWriterLockSide(this, write: false);

    /// <summary>The write side as an <see cref="IRedisLock"/>: acquiring it is <see cref="AcquireWriteAsync"/>.</summary>
    /// <remarks>For code that takes any lock, such as <see cref="Synchronize"/> and <c>[Synchronize(Mode = SynchronizeMode.Write)]</c>.</remarks>
    public IRedisLock WriteLock => new ReaderWriterLockSide(this, write: true);

    /// <summary>How long a waiting writer keeps its place in line (and keeps new readers out) without trying again: four retry delays plus one second.</summary>
    public TimeSpan WaiterLease => LeaseAcquire.WaiterLeaseFor(RetryDelay);

    /// <summary>The writer's sorted set (one token at most).</summary>
    internal RedisKey WriterKey { get; }

    /// <summary>The readers, the writer, the writers' line and the waiting writers' leases, in one hash slot.</summary>
    internal RedisKey[] Keys { get; }

    /// <summary>The clock drift allowance: 1% of the lease time plus 2 ms.</summary>
    internal TimeSpan Drift { get; }

    /// <summary>How long a fresh or renewed acquisition counts as held by the local clock: the lease less drift.</summary>
    internal TimeSpan Validity => LeaseTime - Drift;

    /// <summary>Tries to acquire a read: once (<see cref="TimeSpan.Zero"/>, the default), for up to <paramref name="timeout"/>, or as long as it takes (<see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    /// <param name="timeout">How long the whole call may take.</param>
    /// <returns>The read, or <see langword="null"/> when a writer held or waited for the lock throughout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public RedisReaderWriterLockHandle? TryAcquireRead(TimeSpan timeout = default) => Sync.Wait(TryAcquireReadAsync(timeout));

    /// <summary>Tries to acquire a read (see <see cref="TryAcquireRead"/>).</summary>
    /// <param name="timeout">How long the whole call may take: <see cref="TimeSpan.Zero"/> for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; a try in flight is undone.</param>
    /// <returns>The read, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<RedisReaderWriterLockHandle?> TryAcquireReadAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        ReaderWriterLockAcquire.RunAsync(this, write: false, Redlock.Checked(timeout), throwAtTimeout: false, cancellationToken);

    /// <summary>Acquires a read, waiting as long as it takes or up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <returns>The read; dispose it to give it back.</returns>
    /// <exception cref="TimeoutException">No read could be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public RedisReaderWriterLockHandle AcquireRead(TimeSpan? timeout = null) => Sync.Wait(AcquireReadAsync(timeout));

    /// <summary>Acquires a read (see <see cref="AcquireRead"/>).</summary>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; a try in flight is undone.</param>
    /// <returns>The read; dispose it to give it back.</returns>
    /// <exception cref="TimeoutException">No read could be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<RedisReaderWriterLockHandle> AcquireReadAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        // Never null when throwing at the timeout.
        ReaderWriterLockAcquire.RunAsync(this, write: false, Redlock.Checked(timeout ?? Timeout.InfiniteTimeSpan), throwAtTimeout: true, cancellationToken)!;

    /// <summary>Tries to acquire the write lock: once (<see cref="TimeSpan.Zero"/>, the default), for up to <paramref name="timeout"/>, or as long as it takes (<see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    /// <remarks>A caller holding a read of this lock is not upgraded: it waits for itself until the timeout (see the class remarks).</remarks>
    /// <param name="timeout">How long the whole call may take.</param>
    /// <returns>The write, or <see langword="null"/> when readers or another writer held the lock throughout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public RedisReaderWriterLockHandle? TryAcquireWrite(TimeSpan timeout = default) => Sync.Wait(TryAcquireWriteAsync(timeout));

    /// <summary>Tries to acquire the write lock (see <see cref="TryAcquireWrite"/>).</summary>
    /// <remarks>A caller holding a read of this lock is not upgraded: it waits for itself until the timeout (see the class remarks).</remarks>
    /// <param name="timeout">How long the whole call may take: <see cref="TimeSpan.Zero"/> for one try, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; the caller leaves the writers' line and a try in flight is undone.</param>
    /// <returns>The write, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<RedisReaderWriterLockHandle?> TryAcquireWriteAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        ReaderWriterLockAcquire.RunAsync(this, write: true, Redlock.Checked(timeout), throwAtTimeout: false, cancellationToken);

    /// <summary>Acquires the write lock, waiting as long as it takes or up to <paramref name="timeout"/>.</summary>
    /// <remarks>A caller holding a read of this lock is not upgraded: it waits for itself until the timeout (see the class remarks).</remarks>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> for no limit, <see cref="TimeSpan.Zero"/> for one try.</param>
    /// <returns>The write; dispose it to give it back.</returns>
    /// <exception cref="TimeoutException">The write lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public RedisReaderWriterLockHandle AcquireWrite(TimeSpan? timeout = null) => Sync.Wait(AcquireWriteAsync(timeout));

    /// <summary>Acquires the write lock (see <see cref="AcquireWrite"/>).</summary>
    /// <remarks>A caller holding a read of this lock is not upgraded: it waits for itself until the timeout (see the class remarks).</remarks>
    /// <param name="timeout">How long the whole call may take; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; the caller leaves the writers' line and a try in flight is undone.</param>
    /// <returns>The write; dispose it to give it back.</returns>
    /// <exception cref="TimeoutException">The write lock could not be had within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="WrongTypeException">One of the lock's keys holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<RedisReaderWriterLockHandle> AcquireWriteAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        // Never null when throwing at the timeout.
        ReaderWriterLockAcquire.RunAsync(this, write: true, Redlock.Checked(timeout ?? Timeout.InfiniteTimeSpan), throwAtTimeout: true, cancellationToken)!;

    /// <summary>How many reads unexpired leases hold right now.</summary>
    /// <returns>The number of readers; 0 while a writer holds the lock.</returns>
    /// <exception cref="WrongTypeException">The readers' key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public int ReaderCount() => Sync.Wait(ReaderCountAsync());

    /// <summary>How many reads unexpired leases hold right now.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The number of readers; 0 while a writer holds the lock.</returns>
    /// <exception cref="WrongTypeException">The readers' key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<int> ReaderCountAsync(CancellationToken cancellationToken = default) =>
        RedisCall.Script(Database, Key, RedisType.SortedSet, ReaderWriterLockScripts.Holders, [Key], [], 0, static (reply, _, _) => (int)reply, cancellationToken);

    /// <summary>Whether an unexpired lease holds the write lock right now.</summary>
    /// <returns>Whether a writer holds the lock.</returns>
    /// <exception cref="WrongTypeException">The writer's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public bool IsWriteHeld() => Sync.Wait(IsWriteHeldAsync());

    /// <summary>Whether an unexpired lease holds the write lock right now.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether a writer holds the lock.</returns>
    /// <exception cref="WrongTypeException">The writer's key holds another Redis type.</exception>
    /// <exception cref="RedisUnavailableException">The server could not be reached or cannot serve now.</exception>
    public ValueTask<bool> IsWriteHeldAsync(CancellationToken cancellationToken = default) =>
        RedisCall.Script(Database, WriterKey, RedisType.SortedSet, ReaderWriterLockScripts.Holders, [WriterKey], [], 0, static (reply, _, _) => (int)reply > 0, cancellationToken);
}

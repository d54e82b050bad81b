using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The acquirers of one lock or semaphore within this process, in arrival order: only as many as it
/// has permits (one for a lock) contend in Redis at once, and whoever holds a turn hands it to the
/// next one when it lets go, so local contention costs no failed tries, no place in the server's
/// line, no undo on every master and no wake-up through Redis.
/// </summary>
/// <remarks>
/// <para>The queue decides only who may try next; the lock or permit is still granted by Redis (SET NX
/// on a quorum of masters with its fencing token, the semaphore's script with its line), except that a
/// semaphore permit may pass from holder to waiter as it is while the server recently said no one
/// else waits for one (<see cref="TryHandOver"/>). A holder's
/// release is sent before the queue moves on, and the next acquirer's try follows it down the same
/// connections, so it finds the lock or permit free unless another process took it in between, in
/// which case that acquirer waits for it as any waiter does (pub/sub wake-ups, pauses). Releases
/// still announce themselves for waiters of other processes. A local waiter does not stand in the
/// server's line until its turn comes: waiters of other processes that come later may be served
/// before it, at most as many as wait before it here.</para>
/// <para>The queue follows a handle only while nothing but the handle can let go: a turn moves on
/// when the handle is released or disposed, when its validity runs out (a handle nobody disposes
/// blocks local acquirers no longer than its lease), when its watchdog loses it, and when its
/// <c>Token</c> is read (the release may then come from anywhere, which local waiters can only learn
/// through Redis). A waiter that is cancelled or times out leaves the queue. A queue with nobody in
/// it is removed.</para>
/// <para>Acquirers share a queue when their lock or semaphore has the same key, the same number of
/// permits and the very same database objects (<see cref="StackExchange.Redis.ConnectionMultiplexer.GetDatabase"/>
/// returns the same object each time). Two different objects for one server, such as per-request
/// <c>WithKeyPrefix</c> wrappers, simply get two queues, whose acquirers then contend in Redis as
/// two processes would.</para>
/// </remarks>
internal sealed class LocalLockQueue
{
    // Queues are removed when idle; only one left behind by a handle nobody disposed lingers, and is
    // swept once the number of queues doubled since the last sweep.
    private const int FirstSweep = 1024;

    private static readonly ConcurrentDictionary<QueueName, LocalLockQueue> Open = new();

    // Counted here: ConcurrentDictionary.Count takes every lock of the dictionary.
    private static int s_open;
    private static int s_sweepAt = FirstSweep;

    private readonly QueueName _name;
    // Made when someone first waits: most queues only ever have an owner.
    private LinkedList<Waiter>? _waiters;
    // Turns in use: acquirers trying in Redis, and handles holding (the first apart, as most queues have one).
    private int _trying;
    private LeaseClock? _holder;
    private List<LeaseClock>? _otherHolders;
    private bool _closed;

    // Fires when the earliest holder's validity ends, while anyone waits behind it.
    private Timer? _expiry;
    private long _expiryDue = long.MaxValue;

    // When (Stopwatch timestamps) the newest requests were sent whose answers said the server's line
    // was empty, and that someone waited in it (semaphores only; see TryHandOver).
    private long _lineEmptyAsked;
    private long _lineBusyAsked;

    private LocalLockQueue(QueueName name) => _name = name;

    private int WaitingCount => _waiters?.Count ?? 0;

    private int InUse => _trying + (_holder is null ? 0 : 1) + (_otherHolders?.Count ?? 0);

    /// <summary>Whether the lock or semaphore named <paramref name="name"/> has a queue in this process (for tests).</summary>
    internal static bool IsOpen(QueueName name) => Open.ContainsKey(name);

    /// <summary>How many acquirers of this process wait for a turn at <paramref name="name"/> (for tests).</summary>
    internal static int Waiting(QueueName name)
    {
        if (!Open.TryGetValue(name, out var queue))
        {
            return 0;
        }

        lock (queue)
        {
            return queue.WaitingCount;
        }
    }

    /// <summary>Removes the queues that only a handle nobody disposed, now expired, still holds.</summary>
    internal static void Sweep()
    {
        foreach (var (_, queue) in Open)
        {
            queue.CloseWhenAbandoned();
        }

        Volatile.Write(ref s_sweepAt, Math.Max(FirstSweep, Volatile.Read(ref s_open) * 2));
    }

    /// <summary>
    /// Waits for a turn of this process at the lock or semaphore named <paramref name="name"/> (at
    /// once while fewer acquirers of the process than it has permits hold or try it); the caller then
    /// holds a turn and must <see cref="Leave"/> it or give it to its handle (<see cref="Hold"/>).
    /// </summary>
    /// <returns>The turn; its queue is null when the deadline passed first (at once for a single try).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static ValueTask<Turn> EnterAsync(QueueName name, Deadline deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!Open.TryGetValue(name, out var queue))
            {
                queue = new LocalLockQueue(name);
                if (!Open.TryAdd(name, queue))
                {
                    continue;
                }

                if (Interlocked.Increment(ref s_open) >= Volatile.Read(ref s_sweepAt))
                {
                    Sweep();
                }
            }

            Waiter? waiter = null;
            List<Waiter>? passed = null;
            var entered = false;
            lock (queue)
            {
                if (queue._closed)
                {
                    continue;
                }

                // Holders past their validity keep nobody waiting; whoever already waits goes first.
                if (queue.DropExpired() > 0)
                {
                    passed = queue.PassOn();
                }

                if (queue._closed)
                {
                    continue;
                }

                if (queue.InUse < name.Permits)
                {
                    queue._trying++;
                    entered = true;
                }
                else if (!deadline.IsNow && !deadline.HasPassed)
                {
                    waiter = new Waiter(queue);
                    (queue._waiters ??= new()).AddLast(waiter.Place);
                    queue.WatchExpiry();
                }
            }

            Grant(passed);
            return entered ? new(new Turn(queue, null)) : waiter is null ? default : WaitAsync(waiter, deadline, cancellationToken);
        }
    }

    /// <summary>Gives the turn of the acquirer that just made <paramref name="handle"/> (its lease clock) to the handle.</summary>
    public void Hold(LeaseClock handle)
    {
        lock (this)
        {
            Debug.Assert(_trying > 0, "only an acquirer that holds a turn makes a handle");
            _trying--;
            if (_holder is null)
            {
                _holder = handle;
            }
            else
            {
                (_otherHolders ??= []).Add(handle);
            }

            if (handle.ValidUntil < _expiryDue)
            {
                WatchExpiry(handle.ValidUntil);
            }
        }
    }

    /// <summary>
    /// Hands <paramref name="owner"/>'s turn straight to the first waiter with the permit
    /// <paramref name="token"/>. The waiter keeps the permit as it is, asking the server nothing, when
    /// the server said no one waited in its line in answer to a request sent less than
    /// <paramref name="window"/> ago (and to none sent since), and at least half of the permit's
    /// validity is left; otherwise its first try gives the permit back (one script instead of a
    /// release and a try), so that the server's line comes first. False, with nothing changed, when
    /// nobody waits here or the turn had ended: the caller then sends the release and leaves as usual.
    /// </summary>
    public bool TryHandOver(LeaseClock owner, string token, TimeSpan window)
    {
        Waiter next;
        long keptUntil;
        lock (this)
        {
            if (_waiters?.First is not { } first || !Drop(owner))
            {
                return false;
            }

            _waiters.RemoveFirst();
            _trying++;
            next = first.Value;
            var now = Stopwatch.GetTimestamp();
            var lineEmpty = _lineEmptyAsked > _lineBusyAsked && now - _lineEmptyAsked < LeaseClock.Ticks(window);
            keptUntil = lineEmpty && owner.ValidUntil - now > LeaseClock.Ticks(_name.Validity / 2) ? owner.ValidUntil : 0;
        }

        next.Grant(new Handed(token, keptUntil));
        return true;
    }

    /// <summary>
    /// Notes the server's answer to a request sent at <paramref name="askedAt"/> (a <see cref="Stopwatch"/>
    /// timestamp) about its waiting line: whether anyone waited in it (<see cref="TryHandOver"/>).
    /// </summary>
    public void LineAnswered(long askedAt, bool empty)
    {
        lock (this)
        {
            if (empty)
            {
                _lineEmptyAsked = Math.Max(_lineEmptyAsked, askedAt);
            }
            else
            {
                _lineBusyAsked = Math.Max(_lineBusyAsked, askedAt);
            }
        }
    }

    /// <summary>Lets the next waiter try, when <paramref name="owner"/> (a handle's lease clock, or null for an acquirer) still holds a turn.</summary>
    public void Leave(LeaseClock? owner)
    {
        List<Waiter>? next;
        lock (this)
        {
            if (!Drop(owner))
            {
                return;
            }

            next = PassOn();
        }

        // Outside the lock: the next acquirer goes on from here, sending its try behind the release.
        Grant(next);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Turn> WaitAsync(Waiter waiter, Deadline deadline, CancellationToken cancellationToken)
    {
        // Registered once queued: a callback that comes after the turn was given finds nothing to undo.
        using var cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Abandon(token), waiter);
        using var timeout = deadline.Remaining == TimeSpan.MaxValue ? null : new Timer(static state => ((Waiter)state!).Abandon(null), waiter, deadline.Cap(Redlock.LongestDuration), Timeout.InfiniteTimeSpan);
        return await new ValueTask<Turn>(waiter, 0).ConfigureAwait(false);
    }

    // Under the lock: a turn held by owner (an acquirer when null) ends; false when it had ended already.
    private bool Drop(LeaseClock? owner)
    {
        if (owner is null)
        {
            Debug.Assert(_trying > 0, "an acquirer leaves only the turn it holds");
            _trying--;
            return true;
        }

        if (ReferenceEquals(_holder, owner))
        {
            _holder = null;
            return true;
        }

        return _otherHolders?.Remove(owner) == true;
    }

    // Under the lock: ends the turns of holders past their validity; how many there were.
    private int DropExpired()
    {
        var dropped = 0;
        if (_holder is { Expired: true })
        {
            _holder = null;
            dropped++;
        }

        return dropped + (_otherHolders?.RemoveAll(static holder => holder.Expired) ?? 0);
    }

    // Under the lock: the first waiters get the free turns, or the queue closes when nobody holds or waits.
    private List<Waiter>? PassOn()
    {
        List<Waiter>? next = null;
        while (InUse < _name.Permits && _waiters?.First is { } first)
        {
            _waiters.RemoveFirst();
            _trying++;
            (next ??= []).Add(first.Value);
        }

        if (InUse == 0)
        {
            Close();
        }

        return next;
    }

    // Outside the lock: the waiters given a turn go on.
    private static void Grant(List<Waiter>? next)
    {
        if (next is not null)
        {
            foreach (var waiter in next)
            {
                waiter.Grant();
            }
        }
    }

    private void Close()
    {
        _closed = true;
        if (Open.TryRemove(new KeyValuePair<QueueName, LocalLockQueue>(_name, this)))
        {
            Interlocked.Decrement(ref s_open);
        }

        _expiry?.Dispose();
    }

    private void CloseWhenAbandoned()
    {
        lock (this)
        {
            if (!_closed && WaitingCount == 0 && _trying == 0 && DropExpired() > 0 && InUse == 0)
            {
                Close();
            }
        }
    }

    // Under the lock, with someone waiting: wakes the queue when the earliest holder's validity ends.
    // An acquirer that tries makes a handle valid for at most the validity from now.
    private void WatchExpiry()
    {
        if (_expiryDue != long.MaxValue)
        {
            return;
        }

        var due = _trying > 0 ? Stopwatch.GetTimestamp() + LeaseClock.Ticks(_name.Validity) : long.MaxValue;
        due = Math.Min(due, _holder?.ValidUntil ?? long.MaxValue);
        foreach (var holder in _otherHolders ?? [])
        {
            due = Math.Min(due, holder.ValidUntil);
        }

        if (due != long.MaxValue)
        {
            WatchExpiry(due);
        }
    }

    private void WatchExpiry(long due)
    {
        if (WaitingCount == 0)
        {
            return;
        }

        _expiryDue = due;
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        _expiry ??= new Timer(static state => ((LocalLockQueue)state!).Expire(), this, Timeout.Infinite, Timeout.Infinite);
        _expiry.Change(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, Timeout.InfiniteTimeSpan);
    }

    private void Expire()
    {
        List<Waiter>? next = null;
        lock (this)
        {
            _expiryDue = long.MaxValue;
            if (_closed || WaitingCount == 0)
            {
                return;
            }

            if (DropExpired() > 0)
            {
                next = PassOn();
            }

            WatchExpiry();
        }

        Grant(next);
    }

    /// <summary>One acquirer waiting for its turn.</summary>
    private sealed class Waiter : IValueTaskSource<Turn>
    {
        // How many grants run on this thread: one whose acquirer gives up at once hands the turn on
        // again, and the next acquirer then goes on asynchronously rather than deeper in this stack.
        [ThreadStatic]
        private static int t_granting;

        private readonly LocalLockQueue _queue;
        private ManualResetValueTaskSourceCore<Turn> _turn;

        public Waiter(LocalLockQueue queue)
        {
            _queue = queue;
            Place = new LinkedListNode<Waiter>(this);
        }

        public LinkedListNode<Waiter> Place { get; }

        // The one acquirer a release hands the queue to goes on at once, on the releasing thread:
        // its try then leaves in the same write as the release.
        public void Grant(Handed? handed = null)
        {
            _turn.RunContinuationsAsynchronously = t_granting > 0;
            t_granting++;
            try
            {
                _turn.SetResult(new Turn(_queue, handed));
            }
            finally
            {
                t_granting--;
            }
        }

        /// <summary>Leaves the queue at the deadline (no token) or on cancellation, unless the turn came first.</summary>
        public void Abandon(CancellationToken? cancelled)
        {
            lock (_queue)
            {
                if (Place.List is null)
                {
                    return;
                }

                _queue._waiters!.Remove(Place);
            }

            // Whoever abandons (a timer, a canceller) should not run the acquirer's caller.
            _turn.RunContinuationsAsynchronously = true;
            if (cancelled is { } token)
            {
                _turn.SetException(new OperationCanceledException(token));
            }
            else
            {
                _turn.SetResult(default);
            }
        }

        public Turn GetResult(short token) => _turn.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _turn.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _turn.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>An acquirer's turn: the queue it holds a turn of (null: none came in time), and the permit a holder handed over with it, if any (<see cref="TryHandOver"/>).</summary>
    internal readonly record struct Turn(LocalLockQueue? Queue, Handed? Handed);

    /// <summary>
    /// A semaphore permit handed over with a turn: its token, and, when the acquirer keeps it as it is,
    /// the moment (a <see cref="Stopwatch"/> timestamp) its validity ends; 0 when the acquirer's first
    /// try gives it back.
    /// </summary>
    internal readonly record struct Handed(string Token, long KeptUntil);

    /// <summary>
    /// What acquirers share a queue by: a lock's or semaphore's key, its permits (one for a lock) and
    /// the very same database objects; also how long a turn's grant is valid at most.
    /// </summary>
    internal readonly struct QueueName(RedisKey key, IDatabase[] databases, int permits, TimeSpan validity) : IEquatable<QueueName>
    {
        private readonly RedisKey _key = key;
        private readonly IDatabase[] _databases = databases;

        /// <summary>How many acquirers of this process may hold or try at once.</summary>
        public int Permits { get; } = permits;

        /// <summary>The longest validity a grant made now has.</summary>
        public TimeSpan Validity { get; } = validity;

        public bool Equals(QueueName other)
        {
            if (_key != other._key || Permits != other.Permits || _databases.Length != other._databases.Length)
            {
                return false;
            }

            for (var i = 0; i < _databases.Length; i++)
            {
                if (!ReferenceEquals(_databases[i], other._databases[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is QueueName other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(_key);
            hash.Add(Permits);
            foreach (var database in _databases)
            {
                hash.Add(RuntimeHelpers.GetHashCode(database));
            }

            return hash.ToHashCode();
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Pottery;

/// <summary>
/// The acquirers of one lock within this process, in arrival order: only the first one contends in
/// Redis, and whoever holds the lock hands the queue to the next one when it lets go, so local
/// contention costs no failed tries, no undo on every master and no wake-up through Redis.
/// </summary>
/// <remarks>
/// <para>The queue decides only who may try next; the lock is still granted by SET NX on a quorum of
/// masters, with its fencing token. A holder's release is sent before the queue moves on, and the
/// next acquirer's SET follows it down the same connections, so it finds the key free unless another
/// process took it in between, in which case that acquirer waits for it as any waiter does (pub/sub
/// wake-ups, pauses). Releases still announce themselves for waiters of other processes.</para>
/// <para>The queue follows a handle only while nothing but the handle can let the lock go: it moves on
/// when the handle is released or disposed, when its validity runs out (a handle nobody disposes
/// blocks local acquirers no longer than its lease), when its watchdog loses it, and when its
/// <see cref="RedlockHandle.Token"/> is read (the release may then come from anywhere, which local
/// waiters can only learn through Redis). A waiter that is cancelled or times out leaves the queue.
/// A queue with nobody in it is removed.</para>
/// <para>Acquirers share a queue when their lock has the same key and the very same master database
/// objects (<see cref="StackExchange.Redis.ConnectionMultiplexer.GetDatabase"/> returns the same
/// object each time). Two different objects for one server, such as per-request <c>WithKeyPrefix</c>
/// wrappers, simply get two queues, whose heads then contend in Redis as two processes would.</para>
/// </remarks>
internal sealed class LocalLockQueue
{
    // Queues are removed when idle; only one left behind by a handle nobody disposed lingers, and is
    // swept once the number of queues doubled since the last sweep.
    private const int FirstSweep = 1024;

    private static readonly ConcurrentDictionary<Redlock, LocalLockQueue> Open = new(SameLock.Instance);

    // The owner while an acquirer holds the queue and tries in Redis; once it acquired, its handle.
    private static readonly object Trying = new();

    // Counted here: ConcurrentDictionary.Count takes every lock of the dictionary.
    private static int s_open;
    private static int s_sweepAt = FirstSweep;

    private readonly Redlock _lock;
    // Made when someone first waits: most queues only ever have an owner.
    private LinkedList<Waiter>? _waiters;
    private object? _owner;
    private bool _closed;

    // Fires when the owning handle's validity ends, while anyone waits behind it.
    private Timer? _expiry;
    private long _expiryDue = long.MaxValue;

    private LocalLockQueue(Redlock redlock) => _lock = redlock;

    private int WaitingCount => _waiters?.Count ?? 0;

    /// <summary>Whether <paramref name="redlock"/> has a queue in this process (for tests).</summary>
    internal static bool IsOpen(Redlock redlock) => Open.ContainsKey(redlock);

    /// <summary>How many acquirers of this process wait behind the one that holds or tries <paramref name="redlock"/> (for tests).</summary>
    internal static int Waiting(Redlock redlock)
    {
        if (!Open.TryGetValue(redlock, out var queue))
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
    /// Waits for this process's turn at <paramref name="redlock"/> (at once when nobody else in the
    /// process holds it or tries); the caller then owns the queue and must <see cref="Leave"/> it or
    /// give it to its handle.
    /// </summary>
    /// <returns>The queue, or null when the deadline passed first (at once for a single try).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static ValueTask<LocalLockQueue?> EnterAsync(Redlock redlock, Deadline deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!Open.TryGetValue(redlock, out var queue))
            {
                queue = new LocalLockQueue(redlock);
                if (!Open.TryAdd(redlock, queue))
                {
                    continue;
                }

                if (Interlocked.Increment(ref s_open) >= Volatile.Read(ref s_sweepAt))
                {
                    Sweep();
                }
            }

            Waiter? waiter = null;
            Waiter? first = null;
            lock (queue)
            {
                if (queue._closed)
                {
                    continue;
                }

                // A holder past its validity keeps nobody waiting; whoever already waits goes first.
                if (queue._owner is RedlockHandle { Expired: true })
                {
                    if (queue.WaitingCount > 0)
                    {
                        first = queue.PassOn();
                    }
                    else
                    {
                        queue._owner = null;
                    }
                }

                if (queue._owner is null)
                {
                    queue._owner = Trying;
                    return new(queue);
                }

                if (!deadline.IsNow && !deadline.HasPassed)
                {
                    waiter = new Waiter(queue);
                    (queue._waiters ??= new()).AddLast(waiter.Place);
                    queue.WatchExpiry();
                }
            }

            first?.Grant();
            return waiter is null ? new((LocalLockQueue?)null) : WaitAsync(waiter, deadline, cancellationToken);
        }
    }

    /// <summary>Gives the queue to <paramref name="handle"/>, which the owning acquirer just made.</summary>
    public void Hold(RedlockHandle handle)
    {
        lock (this)
        {
            Debug.Assert(_owner == Trying, "only the acquirer that owns the queue makes a handle");
            _owner = handle;
            if (handle.ValidUntil < _expiryDue)
            {
                WatchExpiry(handle.ValidUntil);
            }
        }
    }

    /// <summary>Lets the next waiter try, when <paramref name="owner"/> (a handle, or null for the owning acquirer) still owns the queue.</summary>
    public void Leave(RedlockHandle? owner)
    {
        Waiter? next;
        lock (this)
        {
            if (_owner != ((object?)owner ?? Trying))
            {
                return;
            }

            next = PassOn();
        }

        // Outside the lock: the next acquirer goes on from here, sending its try behind the release.
        next?.Grant();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<LocalLockQueue?> WaitAsync(Waiter waiter, Deadline deadline, CancellationToken cancellationToken)
    {
        // Registered once queued: a callback that comes after the turn was given finds nothing to undo.
        using var cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Abandon(token), waiter);
        using var timeout = deadline.Remaining == TimeSpan.MaxValue ? null : new Timer(static state => ((Waiter)state!).Abandon(null), waiter, deadline.Cap(Redlock.LongestDuration), Timeout.InfiniteTimeSpan);
        return await new ValueTask<LocalLockQueue?>(waiter, 0).ConfigureAwait(false);
    }

    // Under the lock: the first waiter gets the turn, or the queue closes when nobody waits.
    private Waiter? PassOn()
    {
        if (_waiters?.First is { } first)
        {
            _waiters.RemoveFirst();
            _owner = Trying;
            return first.Value;
        }

        Close();
        return null;
    }

    private void Close()
    {
        _owner = null;
        _closed = true;
        if (Open.TryRemove(new KeyValuePair<Redlock, LocalLockQueue>(_lock, this)))
        {
            Interlocked.Decrement(ref s_open);
        }

        _expiry?.Dispose();
    }

    private void CloseWhenAbandoned()
    {
        lock (this)
        {
            if (!_closed && WaitingCount == 0 && _owner is RedlockHandle holder && holder.Expired)
            {
                Close();
            }
        }
    }

    // Under the lock, with someone waiting: wakes the queue when the owning handle's validity ends.
    // While an acquirer owns it, any handle it makes is valid for at most the lock's validity from now.
    private void WatchExpiry()
    {
        if (_expiryDue == long.MaxValue)
        {
            WatchExpiry(_owner is RedlockHandle holder ? holder.ValidUntil : Stopwatch.GetTimestamp() + Ticks(_lock.Validity));
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
        Waiter? next = null;
        lock (this)
        {
            _expiryDue = long.MaxValue;
            if (_closed || WaitingCount == 0)
            {
                return;
            }

            if (_owner is RedlockHandle holder && holder.Expired)
            {
                next = PassOn();
            }

            WatchExpiry();
        }

        next?.Grant();
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>One acquirer waiting for its turn.</summary>
    private sealed class Waiter : IValueTaskSource<LocalLockQueue?>
    {
        // How many grants run on this thread: one whose acquirer gives up at once hands the turn on
        // again, and the next acquirer then goes on asynchronously rather than deeper in this stack.
        [ThreadStatic]
        private static int t_granting;

        private readonly LocalLockQueue _queue;
        private ManualResetValueTaskSourceCore<LocalLockQueue?> _turn;

        public Waiter(LocalLockQueue queue)
        {
            _queue = queue;
            Place = new LinkedListNode<Waiter>(this);
        }

        public LinkedListNode<Waiter> Place { get; }

        // The one acquirer a release hands the queue to goes on at once, on the releasing thread:
        // its try then leaves in the same write as the release.
        public void Grant()
        {
            _turn.RunContinuationsAsynchronously = t_granting > 0;
            t_granting++;
            try
            {
                _turn.SetResult(_queue);
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
                _turn.SetResult(null);
            }
        }

        public LocalLockQueue? GetResult(short token) => _turn.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _turn.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _turn.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>The same lock: the same key on the very same master database objects.</summary>
    private sealed class SameLock : IEqualityComparer<Redlock>
    {
        public static readonly SameLock Instance = new();

        public bool Equals(Redlock? x, Redlock? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null || x.Key != y.Key || x.Masters.Length != y.Masters.Length)
            {
                return false;
            }

            for (var i = 0; i < x.Masters.Length; i++)
            {
                if (!ReferenceEquals(x.Masters[i], y.Masters[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(Redlock obj)
        {
            var hash = new HashCode();
            hash.Add(obj.Key);
            foreach (var master in obj.Masters)
            {
                hash.Add(RuntimeHelpers.GetHashCode(master));
            }

            return hash.ToHashCode();
        }
    }
}

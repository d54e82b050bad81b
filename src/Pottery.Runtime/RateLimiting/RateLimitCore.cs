using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// What both Redis rate limiters share: one script per try, sent through <see cref="RedisCall"/>;
/// waiting for refused permits up to the queue limit; statistics; disposal. The limiters differ only
/// in their script and its arguments.
/// </summary>
/// <remarks>
/// A waiter sleeps for the retry-after its last refusal carried and then tries again. Permits come
/// back with time, not with an event anybody could announce, and the server computes exactly when
/// they do, so there is nothing to listen for (unlike a lock's release, which
/// <see cref="WakeUpListener"/> announces): waiting out the computed time wakes the waiter when the
/// permits are there, with no polling in between. Several waiters may wake for the same permits;
/// those that lose the race are told the next time and sleep again.
/// </remarks>
internal sealed class RateLimitCore : IDisposable
{
    // Timers take at most int.MaxValue milliseconds.
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly IDatabase _database;
    private readonly RedisKey[] _keys;
    private readonly RedisType _type;
    private readonly RedisScript _script;
    private readonly Func<int, RedisValue[]> _arguments;
    private readonly int _limit;
    private readonly string _limitName;
    private readonly int _queueLimit;
    private readonly string _kind;
    private readonly bool _refuseAttempts;
    private readonly CancellationTokenSource _disposed = new();
    private long _available;
    private long _successful;
    private long _failed;
    private int _queuedPermits;
    private int _waiters;
    private long _lastActivity = Stopwatch.GetTimestamp();

    /// <summary>Creates the shared part of a limiter.</summary>
    /// <param name="database">Where the limiter's key lives.</param>
    /// <param name="key">The limiter's one key.</param>
    /// <param name="type">The Redis type of the key, named when it holds another.</param>
    /// <param name="script">The acquire script.</param>
    /// <param name="arguments">The script's ARGV for a number of permits.</param>
    /// <param name="limit">The most permits one acquire may ask for.</param>
    /// <param name="limitName">The option that sets <paramref name="limit"/>, for messages.</param>
    /// <param name="queueLimit">The most permits waiting in this process.</param>
    /// <param name="kind">Which limiter this is, for telemetry (<see cref="RateLimiterTelemetry.TokenBucket"/> or <see cref="RateLimiterTelemetry.SlidingWindow"/>).</param>
    /// <param name="refuseAttempts">Whether <see cref="Attempt"/> refuses without asking Redis.</param>
    public RateLimitCore(IDatabase database, RedisKey key, RedisType type, RedisScript script, Func<int, RedisValue[]> arguments, int limit, string limitName, int queueLimit, string kind, bool refuseAttempts)
    {
        (_database, _keys, _type, _script, _arguments) = (database, [key], type, script, arguments);
        (_limit, _limitName, _queueLimit, _available, _kind, _refuseAttempts) = (limit, limitName, queueLimit, limit, kind, refuseAttempts);
    }

    /// <summary>
    /// Null while a caller of this process waits for permits; otherwise how long since this limiter
    /// last asked Redis. A limiter holds no state of its own beyond its statistics, so one idle that
    /// long can be dropped and made again without changing what it grants.
    /// </summary>
    public TimeSpan? IdleDuration => Volatile.Read(ref _waiters) > 0 ? null : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastActivity));

    /// <summary>
    /// Checks a period or window (at least 1 ms, at most <see cref="int.MaxValue"/> milliseconds, as
    /// timers take) and returns it in microseconds, as the scripts count time.
    /// </summary>
    /// <param name="value">The duration.</param>
    /// <param name="name">The option's name, for the exception.</param>
    /// <returns>Whole microseconds.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The duration is shorter than 1 ms or longer than <see cref="int.MaxValue"/> milliseconds.</exception>
    public static long Microseconds(TimeSpan value, string name) =>
        value < TimeSpan.FromMilliseconds(1) || value > LongestWait
            ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1 ms and at most int.MaxValue milliseconds.")
            : value.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>One try, waited for (the BCL's <c>AttemptAcquire</c> is synchronous); or, for a limiter that refuses synchronous attempts, a refusal without asking.</summary>
    /// <param name="permits">The permits asked for.</param>
    /// <returns>The lease.</returns>
    public RateLimitLease Attempt(int permits)
    {
        Check(permits);
        if (_refuseAttempts)
        {
            return RedisRateLimitLease.NotAsked;
        }

        var decision = Sync.Wait(TryAsync(permits, CancellationToken.None));
        return decision.Granted ? Granted(permits) : Refused(permits, decision.RetryAfter);
    }

    /// <summary>
    /// Tries; when refused and the permits fit in this process's queue, waits for them until they are
    /// granted, the caller cancels, or the limiter is disposed (a refused lease).
    /// </summary>
    /// <param name="permits">The permits asked for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The lease.</returns>
    public async ValueTask<RateLimitLease> AcquireAsync(int permits, CancellationToken cancellationToken)
    {
        Check(permits);
        var decision = await TryAsync(permits, cancellationToken).ConfigureAwait(false);
        if (decision.Granted)
        {
            return Granted(permits);
        }

        // Counted as waiting before it is queued, so whoever sees it queued sees the limiter busy.
        Interlocked.Increment(ref _waiters);
        if (!Enqueue(permits))
        {
            Interlocked.Decrement(ref _waiters);
            return Refused(permits, decision.RetryAfter);
        }

        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            while (!decision.Granted)
            {
                try
                {
                    await Task.Delay(WaitFor(decision.RetryAfter), stop.Token).ConfigureAwait(false);
                    decision = await TryAsync(permits, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return Refused(permits, decision.RetryAfter);
                }
            }

            return Granted(permits);
        }
        finally
        {
            Interlocked.Add(ref _queuedPermits, -permits);
            Interlocked.Decrement(ref _waiters);
        }
    }

    /// <summary>The statistics: available permits as the last reply to this limiter counted them, the rest of this process.</summary>
    /// <returns>A snapshot.</returns>
    public RateLimiterStatistics Statistics() => new()
    {
        CurrentAvailablePermits = Volatile.Read(ref _available),
        CurrentQueuedCount = Volatile.Read(ref _queuedPermits),
        TotalSuccessfulLeases = Volatile.Read(ref _successful),
        TotalFailedLeases = Volatile.Read(ref _failed),
    };

    /// <summary>Hands every waiter a refused lease and refuses further calls; disposing again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            _disposed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Another thread disposed it meanwhile.
        }
    }

    // A timer rounds down to whole milliseconds: rounding up keeps a waiter from waking before its permits.
    private static TimeSpan WaitFor(TimeSpan retryAfter)
    {
        var milliseconds = Math.Ceiling(retryAfter.TotalMilliseconds);
        return milliseconds >= LongestWait.TotalMilliseconds ? LongestWait : TimeSpan.FromMilliseconds(Math.Max(1, milliseconds));
    }

    private void Check(int permits)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (permits > _limit)
        {
            throw new ArgumentOutOfRangeException(nameof(permits), permits, $"{permits} permits exceed the {_limitName} of {_limit}: they could never be granted.");
        }
    }

    private async ValueTask<RateLimitDecision> TryAsync(int permits, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
        var decision = await RedisCall.Script(_database, _keys[0], _type, _script, _keys, _arguments(permits), 0, static (reply, _, _) => RateLimitDecision.Of(reply), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _available, decision.Available);
        return decision;
    }

    private bool Enqueue(int permits)
    {
        while (true)
        {
            var queued = Volatile.Read(ref _queuedPermits);
            if (queued + permits > _queueLimit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _queuedPermits, queued + permits, queued) == queued)
            {
                return true;
            }
        }
    }

    private RedisRateLimitLease Granted(int permits)
    {
        Interlocked.Increment(ref _successful);
        RateLimiterTelemetry.Decided(_kind, permits, granted: true);
        return RedisRateLimitLease.Granted;
    }

    private RedisRateLimitLease Refused(int permits, TimeSpan retryAfter)
    {
        Interlocked.Increment(ref _failed);
        RateLimiterTelemetry.Decided(_kind, permits, granted: false);
        return RedisRateLimitLease.Refused(retryAfter);
    }
}

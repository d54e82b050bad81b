using System.Diagnostics;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A distributed lock over one or more independent Redis masters, implementing the Redlock
/// algorithm with pottery's semantics (pottery's <c>Redlock</c>): the lock is held when a quorum
/// (n/2+1) of masters accepted this acquisition's random token before its validity (auto-release
/// time minus elapsed time minus clock drift) ran out. Keys are <c>redlock:&lt;key&gt;</c>, as pottery's,
/// so Python and .NET processes exclude each other.
/// </summary>
/// <remarks>
/// <para>One instance is one would-be holder, like pottery's: acquire, then extend or release it
/// from the same instance. Masters are contacted in parallel, and an acquire, extend or release
/// returns once a quorum agreed (the other masters' commands still run). A waiting acquire wakes when the
/// holder releases (the release script publishes on <c>redlock:&lt;key&gt;:released</c>) and
/// otherwise retries after a random delay of up to <see cref="RetryDelay"/>.</para>
/// <para>Each successful acquisition gets a <see cref="FencingToken"/>: a number greater than that of
/// every earlier successful acquisition of the key, as long as the masters keep their data (a
/// master restarted without persistence forgets its counter). Pass it to the resource you
/// protect and have it reject smaller tokens: that stops a holder whose lock expired (a long GC
/// pause, say) from writing after the next holder, which no lock timing alone can prevent.</para>
/// <para>Each master counts with an <c>INCR</c> sent right behind the acquire's <c>SET NX PX</c> on the
/// same connection (the counter shares the lock's hash slot), so it runs after the SET. A try is
/// accepted only if its replies came back within its validity, so an accepted try's count was taken
/// while it still held the lock; a later holder's SET, and so its INCR, can only run once that lock
/// was released or expired. On a master in both quorums the later count is therefore larger.</para>
/// </remarks>
public sealed class Redlock : IDisposable
{
    /// <summary>pottery's default auto-release time.</summary>
    public static readonly TimeSpan DefaultAutoReleaseTime = TimeSpan.FromSeconds(10);

    // The release, extend and fence-raising scripts' reply when they did it.
    private static readonly Func<RedisResult, bool> Done = reply => !reply.IsNull && (long)reply == 1;

    private readonly IDatabase[] _masters;
    private readonly RedisKey[] _keys;
    private readonly TimeSpan _roundWait;
    private readonly RedisChannel _released;
    private readonly RedisValue _releasedName;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _state = new();
    private RedisValue _token = RedisValue.Null;
    private long _acquiredAt;
    private TimeSpan _validity;
    private int _extensions;
    private int _subscribed;

    /// <summary>Creates a lock over <paramref name="masters"/> (1, 3 or 5 independent servers in practice).</summary>
    /// <param name="key">The lock's name; Redis keys are <c>redlock:&lt;key&gt;</c>.</param>
    /// <param name="masters">One database per independent master.</param>
    /// <param name="autoReleaseTime">How long an acquisition lasts unless extended; 10 s by default.</param>
    /// <param name="numExtensions">How many times one acquisition may be extended; 3 by default, <see cref="int.MaxValue"/> for no limit.</param>
    public Redlock(string key, IEnumerable<IDatabase> masters, TimeSpan? autoReleaseTime = null, int numExtensions = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(masters);
        _masters = masters.ToArray();
        if (_masters.Length == 0)
        {
            throw new ArgumentException("A lock needs at least one master.", nameof(masters));
        }

        AutoReleaseTime = autoReleaseTime ?? DefaultAutoReleaseTime;
        ArgumentOutOfRangeException.ThrowIfLessThan(AutoReleaseTime, TimeSpan.FromMilliseconds(1), nameof(autoReleaseTime));
        ArgumentOutOfRangeException.ThrowIfNegative(numExtensions);
        NumExtensions = numExtensions;
        Name = key;
        Key = "redlock:" + key;
        _keys = [Key, DerivedKey.For(Key, "fence")];
        _roundWait = RoundWait(_masters, AutoReleaseTime);
        var releasedName = $"redlock:{key}:released";
        _released = RedisChannel.Literal(releasedName);
        _releasedName = releasedName;
    }

    /// <summary>Creates a lock on a single Redis server.</summary>
    /// <param name="key">The lock's name; the Redis key is <c>redlock:&lt;key&gt;</c>.</param>
    /// <param name="master">The server's database.</param>
    /// <param name="autoReleaseTime">How long an acquisition lasts unless extended; 10 s by default.</param>
    /// <param name="numExtensions">How many times one acquisition may be extended; 3 by default.</param>
    public Redlock(string key, IDatabase master, TimeSpan? autoReleaseTime = null, int numExtensions = 3)
        : this(key, [master], autoReleaseTime, numExtensions)
    {
    }

    /// <summary>The lock's name as given.</summary>
    public string Name { get; }

    /// <summary>The Redis key on every master: <c>redlock:&lt;name&gt;</c>.</summary>
    public RedisKey Key { get; }

    /// <summary>How long an acquisition lasts unless extended.</summary>
    public TimeSpan AutoReleaseTime { get; }

    /// <summary>How many times one acquisition may be extended.</summary>
    public int NumExtensions { get; }

    /// <summary>How many masters must agree: n/2+1.</summary>
    public int Quorum => _masters.Length / 2 + 1;

    /// <summary>The longest random pause between tries when no release announcement arrives.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether <see cref="Lock"/> waits for the lock (pottery's <c>context_manager_blocking</c>).</summary>
    public bool ScopeBlocking { get; init; } = true;

    /// <summary>How long <see cref="Lock"/> waits at most, or <see langword="null"/> for no limit (pottery's <c>context_manager_timeout</c>).</summary>
    public TimeSpan? ScopeTimeout { get; init; }

    /// <summary>
    /// Whether handles from <see cref="Lock"/> keep renewing the lock every third of
    /// <see cref="AutoReleaseTime"/> while they are held (a watchdog, as Redisson's), without
    /// counting towards <see cref="NumExtensions"/>. A holder that dies stops renewing, so the lock
    /// still frees itself; a renewal that fails fires the handle's <see cref="RedlockHandle.LostToken"/>.
    /// </summary>
    public bool AutoExtend { get; init; }

    /// <summary>The fencing token of the current acquisition, or 0 when not held.</summary>
    public long FencingToken { get; private set; }

    /// <summary>Tries to acquire the lock: waiting as long as it takes (default), up to <paramref name="timeout"/>, or once (<paramref name="blocking"/> false).</summary>
    /// <param name="blocking">Whether to wait for the lock.</param>
    /// <param name="timeout">How long to wait at most when blocking; <see langword="null"/> for no limit.</param>
    /// <returns>Whether this instance now holds the lock.</returns>
    /// <exception cref="ArgumentException">A timeout was given without blocking.</exception>
    /// <exception cref="QuorumIsImpossibleException">Too many masters failed for a quorum to be possible.</exception>
    public bool Acquire(bool blocking = true, TimeSpan? timeout = null) => AcquireAsync(blocking, timeout).GetAwaiter().GetResult();

    /// <summary>Tries to acquire the lock (see <see cref="Acquire"/>).</summary>
    /// <param name="blocking">Whether to wait for the lock.</param>
    /// <param name="timeout">How long to wait at most when blocking; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting; an acquisition in flight is undone.</param>
    /// <returns>Whether this instance now holds the lock.</returns>
    public Task<bool> AcquireAsync(bool blocking = true, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AcquireCoreAsync(blocking, timeout, cancellationToken).AsTask();

    /// <summary>Acquires the lock for a <c>using</c> scope, waiting as <see cref="ScopeBlocking"/> and <see cref="ScopeTimeout"/> say.</summary>
    /// <returns>A handle that releases the lock when disposed.</returns>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    public RedlockHandle Lock() => LockAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Acquires the lock for an <c>await using</c> scope (see <see cref="Lock"/>).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A handle that releases the lock when disposed. Await it once, as any <see cref="ValueTask{TResult}"/>.</returns>
    /// <exception cref="QuorumNotAchievedException">The lock could not be acquired.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedlockHandle> LockAsync(CancellationToken cancellationToken = default)
    {
        return await AcquireCoreAsync(ScopeBlocking, ScopeBlocking ? ScopeTimeout : null, cancellationToken).ConfigureAwait(false)
            ? NewHandle()
            : throw new QuorumNotAchievedException($"Could not acquire the lock '{Name}' on a quorum of {Quorum} of {_masters.Length} masters.", Key.ToString());
    }

    /// <summary>
    /// Acquires the lock for a scope as DistributedLock's <c>TryAcquireAsync</c> does: a handle, or
    /// <see langword="null"/> when the lock could not be had (at once when not
    /// <paramref name="blocking"/>, or within <paramref name="timeout"/>).
    /// </summary>
    /// <param name="blocking">Whether to wait for the lock.</param>
    /// <param name="timeout">How long to wait at most when blocking; <see langword="null"/> for no limit.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A handle that releases the lock when disposed, or <see langword="null"/>. Await it once, as any <see cref="ValueTask{TResult}"/>.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedlockHandle?> TryLockAsync(bool blocking = false, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await AcquireCoreAsync(blocking, timeout, cancellationToken).ConfigureAwait(false) ? NewHandle() : null;

    /// <summary>How much longer this instance holds the lock according to a quorum of masters, or zero when it does not.</summary>
    /// <returns>The remaining validity.</returns>
    public TimeSpan Locked() => LockedAsync().GetAwaiter().GetResult();

    /// <summary>How much longer this instance holds the lock according to a quorum of masters, or zero.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The remaining validity.</returns>
    public async Task<TimeSpan> LockedAsync(CancellationToken cancellationToken = default)
    {
        var token = CurrentToken();
        return token.IsNull ? TimeSpan.Zero : await RemainingAsync(token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How much longer anyone holds the lock according to a quorum of masters, or zero when it is free; readable from any instance.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The remaining validity of whoever holds it.</returns>
    public Task<TimeSpan> HeldForAsync(CancellationToken cancellationToken = default) => RemainingAsync(string.Empty, cancellationToken);

    /// <summary>Resets the held lock's validity to <see cref="AutoReleaseTime"/> on a quorum of masters.</summary>
    /// <exception cref="ExtendUnlockedLockException">This instance does not hold the lock.</exception>
    /// <exception cref="TooManyExtensionsException">The acquisition was already extended <see cref="NumExtensions"/> times.</exception>
    public void Extend() => ExtendAsync().GetAwaiter().GetResult();

    /// <summary>Resets the held lock's validity to <see cref="AutoReleaseTime"/> on a quorum of masters.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the lock is extended.</returns>
    /// <exception cref="ExtendUnlockedLockException">This instance does not hold the lock.</exception>
    /// <exception cref="TooManyExtensionsException">The acquisition was already extended <see cref="NumExtensions"/> times.</exception>
    public async Task ExtendAsync(CancellationToken cancellationToken = default)
    {
        if (_extensions >= NumExtensions)
        {
            throw new TooManyExtensionsException($"The lock '{Name}' was already extended {NumExtensions} times.", Key.ToString());
        }

        if (!await RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ExtendUnlockedLockException($"Cannot extend the lock '{Name}': this instance does not hold it (never acquired, released, or expired).", Key.ToString());
        }

        Interlocked.Increment(ref _extensions);
    }

    /// <summary>Releases the lock on every master.</summary>
    /// <exception cref="ReleaseUnlockedLockException">This instance did not hold the lock on a quorum (never acquired, released, or expired).</exception>
    public void Release() => ReleaseAsync().GetAwaiter().GetResult();

    /// <summary>Releases the lock on every master.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the masters answered.</returns>
    /// <exception cref="ReleaseUnlockedLockException">This instance did not hold the lock on a quorum.</exception>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        var token = CurrentToken();
        Forget();
        if (token.IsNull || await CountAsync(RedlockScripts.Release, [token, _releasedName], cancellationToken).ConfigureAwait(false) < Quorum)
        {
            throw new ReleaseUnlockedLockException($"Cannot release the lock '{Name}': this instance does not hold it (never acquired, released, or expired).", Key.ToString());
        }
    }

    /// <summary>
    /// The current acquisition's random token, or <see langword="null"/> when this instance does not
    /// hold the lock. It is a plain string: hand it to another instance or process (a job queue, a
    /// callback) that should release the lock with <see cref="ReleaseAsync(string, CancellationToken)"/>.
    /// </summary>
    public string? Token
    {
        get
        {
            var token = CurrentToken();
            return token.IsNull ? null : token.ToString();
        }
    }

    /// <summary>
    /// Releases the acquisition identified by <paramref name="token"/>, from any instance over the same
    /// key and masters (pottery's users ask for this as issue #451). Only that acquisition's lock is
    /// released: a token that expired and was replaced by another holder's releases nothing.
    /// </summary>
    /// <param name="token">An acquisition's <see cref="Token"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the masters answered.</returns>
    /// <exception cref="ReleaseUnlockedLockException">No quorum of masters held the lock under that token.</exception>
    public async Task ReleaseAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (CurrentToken() == token)
        {
            Forget();
        }

        if (await CountAsync(RedlockScripts.Release, [token, _releasedName], cancellationToken).ConfigureAwait(false) < Quorum)
        {
            throw new ReleaseUnlockedLockException($"Cannot release the lock '{Name}' with the given token: no quorum of masters holds it under that token (released, expired, or never acquired).", Key.ToString());
        }
    }

    /// <summary>
    /// Releases without waiting for replies: a scope's end should not pay a round trip. Commands on
    /// a connection run in order, so this instance's next acquire still comes after the release.
    /// </summary>
    internal void ReleaseInBackground()
    {
        var token = CurrentToken();
        Forget();
        if (!token.IsNull)
        {
            SendToEveryMaster(RedlockScripts.Release, [token, _releasedName]);
        }
    }

    /// <summary>Stops listening for release announcements. Does not release a held lock.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            foreach (var master in _masters)
            {
                master.Multiplexer.GetSubscriber().Unsubscribe(_released, Wake, CommandFlags.FireAndForget);
            }
        }

        _wake.Dispose();
    }

    // The scopes' acquire path: pooled, because every lock scope goes through it and it is seldom synchronous.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AcquireCoreAsync(bool blocking, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!blocking && timeout is not null)
        {
            throw new ArgumentException("A timeout only applies to a blocking acquire.", nameof(timeout));
        }

        if (timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout cannot be negative.");
        }

        var deadline = timeout is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        while (true)
        {
            // One try, written out in the loop so that its common path awaits nothing but the round.
            cancellationToken.ThrowIfCancellationRequested();
            var attempt = StartAttempt();
            try
            {
                await Decided(attempt).WaitAsync(_roundWait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Masters may still grant this token after the caller gave up; the undo goes behind it on each connection.
                Undo(attempt.Token);
                throw;
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                // Counted below: only the masters that granted in time take part.
            }
            finally
            {
                attempt.ObserveFailures();
            }

            var fence = GrantedFence(attempt);
            if (fence > 0 && (FenceAgreed(attempt, fence) || await FenceRaisedAsync(fence, attempt.Start).ConfigureAwait(false)))
            {
                Hold(attempt, fence);
                return true;
            }

            GiveUp(attempt);

            var remaining = deadline == long.MaxValue ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (!blocking || remaining <= TimeSpan.Zero)
            {
                return false;
            }

            // An uncontended acquire never listens. The first wait starts listening and tries once
            // more, so a release that came before the subscription is not missed.
            if (!await SubscribeAsync().ConfigureAwait(false))
            {
                await WaitForReleaseAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private RedlockHandle NewHandle()
    {
        TimeSpan validity;
        lock (_state)
        {
            validity = _validity - Stopwatch.GetElapsedTime(_acquiredAt);
        }

        return new RedlockHandle(this, FencingToken, validity);
    }

    /// <summary>Renews the validity without counting an extension (the watchdog's renewal); false when not held.</summary>
    internal async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var token = CurrentToken();
        if (token.IsNull)
        {
            return false;
        }

        var start = Stopwatch.GetTimestamp();
        if (await CountAsync(RedlockScripts.Extend, [token, (long)AutoReleaseTime.TotalMilliseconds], cancellationToken).ConfigureAwait(false) < Quorum)
        {
            return false;
        }

        lock (_state)
        {
            (_acquiredAt, _validity) = (start, AutoReleaseTime - Drift());
        }

        return true;
    }

    // Sends one try to every master: SET NX PX, then INCR of the fencing counter, pipelined as two
    // plain commands (a script costs the server more than both). The counter shares the lock's hash
    // slot, so both go down one connection and run in that order. The counter also rises on tries
    // that fail, which leaves holes, as fencing allows; the class remarks say why an accepted try's
    // count still exceeds every earlier holder's.
    private Attempt StartAttempt()
    {
        RedisValue token = LockTokens.Next();
        var start = Stopwatch.GetTimestamp();
        var sets = new Task<bool>[_masters.Length];
        var counts = new Task<long>[_masters.Length];
        for (var i = 0; i < _masters.Length; i++)
        {
            try
            {
                sets[i] = _masters[i].StringSetAsync(_keys[0], token, AutoReleaseTime, When.NotExists);
                counts[i] = _masters[i].StringIncrementAsync(_keys[1]);
            }
            catch (RedisException error)
            {
                (sets[i], counts[i]) = (Task.FromException<bool>(error), Task.FromException<long>(error));
            }
        }

        return new(token, start, sets, counts);
    }

    // Completes when the try is decided. A master's count replies after its SET, so the counts
    // alone are waited for; one master's is awaited as it is, with nothing around it.
    private Task Decided(Attempt attempt) =>
        Quorum < _masters.Length ? QuorumDecided(attempt)
        : _masters.Length == 1 ? attempt.Counts[0]
        : Task.WhenAll(attempt.Counts);

    private Task QuorumDecided(Attempt attempt) => QuorumWatch.Start(attempt.Counts, Quorum, master => attempt.Granted(master)).Decided;

    // The largest fencing count among the grants when a quorum granted in time, else 0.
    private long GrantedFence(Attempt attempt)
    {
        var fence = 0L;
        var granted = 0;
        for (var i = 0; i < _masters.Length; i++)
        {
            if (attempt.Granted(i))
            {
                granted++;
                fence = Math.Max(fence, attempt.Counts[i].Result);
            }
        }

        return granted >= Quorum && RemainingValidity(attempt.Start) > TimeSpan.Zero ? fence : 0;
    }

    // Whether a quorum of granting masters already counted the fence itself (healthy masters count
    // in step), which makes every later quorum's count larger: any later quorum shares a master with this one.
    private bool FenceAgreed(Attempt attempt, long fence)
    {
        var atFence = 0;
        for (var i = 0; i < _masters.Length; i++)
        {
            atFence += attempt.Granted(i) && attempt.Counts[i].Result == fence ? 1 : 0;
        }

        return atFence >= Quorum;
    }

    /// <summary>
    /// Lifts a quorum of masters' counts to at least <paramref name="fence"/> when their counts
    /// disagreed (see <see cref="FenceAgreed"/>). The lift is awaited because a lost one would let the
    /// next holder draw a smaller token.
    /// </summary>
    private async Task<bool> FenceRaisedAsync(long fence, long acquisitionStart) =>
        await CountAsync(RedlockScripts.RaiseFence, [fence], CancellationToken.None).ConfigureAwait(false) >= Quorum && RemainingValidity(acquisitionStart) > TimeSpan.Zero;

    private void Hold(Attempt attempt, long fence)
    {
        lock (_state)
        {
            (_token, _acquiredAt, _validity, _extensions) = (attempt.Token, attempt.Start, AutoReleaseTime - Drift(), 0);
            FencingToken = fence;
        }
    }

    // Not enough masters (or too late): undo wherever the try did succeed, or still will.
    private void GiveUp(Attempt attempt)
    {
        Undo(attempt.Token);
        // Only masters that failed count against a quorum ever being possible; a master that is
        // merely slow (no answer within the round's wait, e.g. on a loaded machine) may answer
        // the next try.
        var failed = attempt.Counts.Count(call => call.IsFaulted && call.Exception.InnerException is not TimeoutException);
        if (_masters.Length - failed < Quorum)
        {
            throw new QuorumIsImpossibleException($"{failed} of {_masters.Length} masters failed, so no quorum of {Quorum} is possible for the lock '{Name}'.", Key.ToString());
        }
    }

    /// <summary>
    /// How long a round waits for masters: the auto-release time, after which no validity is left.
    /// When every master's client fails unanswered commands sooner (see <see cref="ClientTimeout"/>;
    /// 5 s by default against pottery's 10 s auto-release), a round sets no timer of its own: one
    /// per round costs a measurable share of a lock cycle. This only decides when a silent master is
    /// given up on: safety never depends on it, since a try is accepted only with validity left
    /// when its replies are in.
    /// </summary>
    private static TimeSpan RoundWait(IDatabase[] masters, TimeSpan autoReleaseTime)
    {
        // A loop, not LINQ: generated [Synchronize] wrappers make a Redlock per call.
        foreach (var master in masters)
        {
            if (ClientTimeout.Of(master) is var timeout && (timeout == Timeout.InfiniteTimeSpan || timeout > autoReleaseTime))
            {
                return autoReleaseTime;
            }
        }

        return Timeout.InfiniteTimeSpan;
    }

    private TimeSpan RemainingValidity(long since) => AutoReleaseTime - Stopwatch.GetElapsedTime(since) - Drift();

    // Runs a script on all masters at once; a master that fails or has not answered within the
    // round's wait gives a null reply.
    private ValueTask<RedisResult?[]> OnEveryMasterAsync(RedisScript script, RedisValue[] values, CancellationToken cancellationToken) =>
        MasterRounds.RunAsync(_masters, script, _keys, values, _roundWait, cancellationToken);

    // Releases a try's partial grants without announcing a release: waiters woken by it would only
    // find the lock still held (their own undo would even wake themselves), where a random pause
    // lets contenders that split the masters between them fall out of step.
    private void Undo(RedisValue token) => SendToEveryMaster(RedlockScripts.Release, [token, RedisValue.EmptyString]);

    // Fire-and-forget, so sent by source and left to StackExchange.Redis' own script cache: no reply reaches our NOSCRIPT retry.
    private void SendToEveryMaster(RedisScript script, RedisValue[] values)
    {
        foreach (var master in _masters)
        {
            try
            {
                master.ScriptEvaluate(script.Source, _keys, values, CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
                // A master that cannot be reached is left to expire the key on its own.
            }
        }
    }

    // Counts the masters where the script did it (replied 1), returning once a quorum did.
    private async Task<int> CountAsync(RedisScript script, RedisValue[] values, CancellationToken cancellationToken)
    {
        var calls = MasterRounds.Start(_masters, script, _keys, values);
        var replies = await MasterRounds.QuorumRepliesAsync(_masters, script, _keys, values, calls, Quorum, Done, _roundWait, cancellationToken).ConfigureAwait(false);
        return replies.Count(reply => reply is not null && Done(reply));
    }

    private async Task<TimeSpan> RemainingAsync(RedisValue token, CancellationToken cancellationToken)
    {
        var replies = await OnEveryMasterAsync(RedlockScripts.Remaining, [token], cancellationToken).ConfigureAwait(false);
        var held = replies.Where(r => r is { IsNull: false } && (long)r > 0).Select(r => (long)r!).OrderDescending().ToArray();
        if (held.Length < Quorum)
        {
            return TimeSpan.Zero;
        }

        // The quorum-th longest time is how long a quorum still agrees.
        var remaining = TimeSpan.FromMilliseconds(held[Quorum - 1]) - Drift();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>The validity a fresh acquisition or renewal gives: the auto-release time less drift.</summary>
    internal TimeSpan FullValidity => AutoReleaseTime - Drift();

    // pottery's clock drift allowance: 1% of the auto-release time plus 2 ms.
    private TimeSpan Drift() => AutoReleaseTime * 0.01 + TimeSpan.FromMilliseconds(2);

    private RedisValue CurrentToken()
    {
        lock (_state)
        {
            if (!_token.IsNull && Stopwatch.GetElapsedTime(_acquiredAt) >= AutoReleaseTime - Drift())
            {
                _token = RedisValue.Null;
                FencingToken = 0;
            }

            return _token;
        }
    }

    private void Forget()
    {
        lock (_state)
        {
            _token = RedisValue.Null;
            FencingToken = 0;
        }
    }

    // True when this call started listening.
    private async Task<bool> SubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) != 0)
        {
            return false;
        }

        await Task.WhenAll(_masters.Select(SubscribeToAsync)).ConfigureAwait(false);
        return true;
    }

    // A master that is down cannot announce releases anyway; the random retry covers it.
    private async Task SubscribeToAsync(IDatabase master)
    {
        try
        {
            await master.Multiplexer.GetSubscriber().SubscribeAsync(_released, Wake).ConfigureAwait(false);
        }
        catch (RedisException)
        {
        }
    }

    private async Task WaitForReleaseAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        // Woken by a release on any master; otherwise retry after a random pause, as pottery does.
        var pause = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * RetryDelay.TotalMilliseconds);
        await _wake.WaitAsync(pause < remaining ? pause : remaining, cancellationToken).ConfigureAwait(false);
    }

    private void Wake(RedisChannel channel, RedisValue message)
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    // One try's token, its start (for the validity) and its SET and INCR calls, one of each per master.
    private readonly record struct Attempt(RedisValue Token, long Start, Task<bool>[] Sets, Task<long>[] Counts)
    {
        // Whether the master's SET took and its count came back (then the SET's reply, sent before, has too).
        public bool Granted(int master) => Sets[master] is { IsCompletedSuccessfully: true, Result: true } && Counts[master].IsCompletedSuccessfully;

        // Nobody awaits every call (a round ends at a quorum, a timeout or a cancellation), so their
        // failures are read here, or when they come, lest they surface as unobserved. A master's
        // count replies (or fails) after its SET, so a late master needs one continuation, not two.
        public void ObserveFailures()
        {
            for (var i = 0; i < Sets.Length; i++)
            {
                if (Counts[i].IsCompleted)
                {
                    _ = (Sets[i].Exception, Counts[i].Exception);
                }
                else
                {
                    Counts[i].ContinueWith(static (count, set) => (count.Exception, ((Task)set!).Exception), Sets[i], CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
    }
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A barrier shared by processes, like .NET's <see cref="Barrier"/> or Python's
/// <c>threading.Barrier</c>: <see cref="ParticipantCount"/> participants each call
/// <see cref="SignalAndWaitAsync"/>, and all of them go on once the last has arrived; then the next
/// phase begins. The key is a hash with the current <c>phase</c> and how many have <c>arrived</c>.
/// </summary>
/// <remarks>
/// A participant whose wait times out or is cancelled takes its arrival back, unless the phase ended
/// meanwhile (then it went through). Every process opening the same key should give the same count.
/// </remarks>
public sealed class RedisBarrier : RedisObject
{
    private const string PhaseSuffix = ":phase";
    private static readonly IRedisCodec<long> PhaseCodec = RedisCodecs.For<long>();
    private TimeSpan _retryPause = TimeSpan.FromSeconds(1);

    /// <summary>Opens the barrier at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix applies.</param>
    /// <param name="participantCount">How many participants each phase waits for.</param>
    /// <param name="key">The barrier's key, or <see langword="null"/> for a random one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="participantCount"/> is less than 1.</exception>
    public RedisBarrier(IDatabase database, int participantCount, RedisKey? key = null)
        : base(database, key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(participantCount, 1);
        ParticipantCount = participantCount;
    }

    /// <summary>How many participants each phase waits for.</summary>
    public int ParticipantCount { get; }

    // How long past the deadline a waiter that gives up waits for the server to take its arrival back.
    private static readonly TimeSpan WithdrawGrace = TimeSpan.FromMilliseconds(50);

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
    private protected override RedisType RedisType => RedisType.Hash;

    /// <summary>The number of the current phase, from 0.</summary>
    /// <returns>The phase.</returns>
    /// <exception cref="WrongTypeException">The key holds something other than a hash.</exception>
    public long CurrentPhaseNumber() => Sync.Wait(CurrentPhaseNumberAsync());

    /// <summary>The number of the current phase, from 0.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The phase.</returns>
    /// <exception cref="WrongTypeException">The key holds something other than a hash.</exception>
    public ValueTask<long> CurrentPhaseNumberAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return PhaseAsync(cancellationToken);
    }

    /// <summary>Arrives and waits until every participant has, for at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may wait; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <returns>Whether the phase ended (<see langword="false"/>: the time ran out and the arrival was taken back).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="RedisUnavailableException">The server did not answer the arrival by the deadline, or the take-back within 50 ms after it, so whether this participant counted is unknown.</exception>
    public bool SignalAndWait(TimeSpan? timeout = null) => Sync.Wait(SignalAndWaitAsync(timeout));

    /// <summary>Arrives and waits until every participant has, for at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the whole call may wait; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <param name="cancellationToken">Stops waiting and takes the arrival back, unless the phase ended meanwhile.</param>
    /// <returns>Whether the phase ended (<see langword="false"/>: the time ran out and the arrival was taken back).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="OperationCanceledException">The call was cancelled before the phase ended; the arrival was taken back.</exception>
    /// <exception cref="RedisUnavailableException">The server did not answer the arrival by the deadline, or the take-back within 50 ms after it, so whether this participant counted is unknown.</exception>
    public async ValueTask<bool> SignalAndWaitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = Deadline.After(timeout ?? Timeout.InfiniteTimeSpan);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        using var bounded = deadline.Bound(CancellationToken.None);
        long phase;
        bool last;
        try
        {
            // Not cancellable by the caller (an arrival counts or it does not), but bounded by the deadline.
            (phase, last) = await EvaluateAsync(CoordinationScripts.Arrive, [Key], [ParticipantCount], 0, static (reply, _, _) => ((long)reply[0], (long)reply[1] == 1), bounded?.Token ?? CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw Unanswered("arrival", timeout);
        }

        if (last)
        {
            WakeUpChannel.Publish(Database, Key, PhaseSuffix);
            return true;
        }

        using var waiting = deadline.Bound(cancellationToken);
        var token = waiting?.Token ?? cancellationToken;
        try
        {
            if (!deadline.IsNow && await WakeUpWait.UntilAsync(Database, Key, PhaseSuffix, WakeMode.All, deadline, RetryPause, this, static (b, t) => b.PhaseAsync(t), now => now > phase, null, token).ConfigureAwait(false) > phase)
            {
                return true;
            }
        }
        catch (OperationCanceledException) when (!Deadline.Reached(waiting, cancellationToken))
        {
            // Cancelled by the caller: take the arrival back, unless the phase ended meanwhile.
            if (await WithdrawAsync(phase, timeout).ConfigureAwait(false))
            {
                throw;
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            // The deadline passed while waiting: decided below.
        }

        return !await WithdrawAsync(phase, timeout).ConfigureAwait(false);
    }

    // Not cancellable: an arrival is taken back or found to have gone through. The answer decides what
    // the call returns, so it gets one round trip's grace (WithdrawGrace) past the call's deadline.
    private async ValueTask<bool> WithdrawAsync(long phase, TimeSpan? timeout)
    {
        using var grace = new CancellationTokenSource(WithdrawGrace);
        try
        {
            return await EvaluateAsync(CoordinationScripts.Withdraw, [Key], [phase], 0, static (reply, _, _) => (long)reply == 1, grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw Unanswered("take-back of the arrival", timeout);
        }
    }

    private RedisUnavailableException Unanswered(string what, TimeSpan? timeout) =>
        new($"The server did not answer the {what} at the barrier '{Key}' within {(timeout is { } t ? t.ToString() : "the call")}: whether this participant counted towards the phase is unknown.", Key.ToString());

    private ValueTask<long> PhaseAsync(CancellationToken cancellationToken) =>
        CallAsync(0, static (d, k, _) => d.HashGetAsync(k, "phase"), static (value, _, k) => value.IsNull ? 0 : PhaseCodec.DecodeAt(value, k, "phase"), cancellationToken);
}

using System.Diagnostics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// One try to acquire a <see cref="Redlock"/>: its token, its start (for the validity) and its SET
/// and INCR calls, one of each per master (no INCR for a lock without fencing tokens).
/// </summary>
/// <remarks>
/// The try is SET NX PX, then INCR of the fencing counter, pipelined as two plain commands (a script
/// costs the server more than both). The counter shares the lock's hash slot, so both go down one
/// connection and run in that order. The counter also rises on tries that fail, which leaves holes,
/// as fencing allows; <see cref="Redlock"/>'s remarks say why an accepted try's count still exceeds
/// every earlier holder's.
/// </remarks>
internal readonly record struct RedlockAttempt(Redlock Lock, string Token, long Start, Task<bool>[] Sets, Task<long>[]? Counts)
{
    /// <summary>Sends a try to every master.</summary>
    public static RedlockAttempt Send(Redlock redlock)
    {
        var token = LockTokens.Next();
        var start = Stopwatch.GetTimestamp();
        var masters = redlock.Masters;
        var keys = redlock.Keys;
        var sets = new Task<bool>[masters.Length];
        var counts = redlock.Fenced ? new Task<long>[masters.Length] : null;
        for (var i = 0; i < masters.Length; i++)
        {
            try
            {
                sets[i] = masters[i].StringSetAsync(keys[0], token, redlock.AutoReleaseTime, When.NotExists);
                if (counts is not null)
                {
                    counts[i] = masters[i].StringIncrementAsync(keys[1]);
                }
            }
            catch (RedisException error)
            {
                sets[i] = Task.FromException<bool>(error);
                if (counts is not null)
                {
                    counts[i] = Task.FromException<long>(error);
                }
            }
        }

        return new(redlock, token, start, sets, counts);
    }

    /// <summary>
    /// Completes when the try is decided. A master's count replies after its SET, so the counts
    /// alone are waited for; one master's is awaited as it is, with nothing around it.
    /// </summary>
    public Task Decided()
    {
        var last = Last;
        return Lock.Quorum < last.Length ? QuorumWatch.Start(last, Lock.Quorum, Granted, Counts is null ? null : Sets).Decided
            : last.Length == 1 ? last[0]
            : Task.WhenAll(last);
    }

    /// <summary>Whether the master's SET took and its count came back (then the SET's reply, sent before, has too).</summary>
    public bool Granted(int master) => Sets[master] is { IsCompletedSuccessfully: true, Result: true } && (Counts is null || Counts[master].IsCompletedSuccessfully);

    /// <summary>
    /// Whether a quorum granted in time; <paramref name="fence"/> is then the largest fencing count
    /// among the grants (0 for a lock without fencing tokens).
    /// </summary>
    public bool Won(out long fence)
    {
        fence = 0;
        var granted = 0;
        for (var i = 0; i < Sets.Length; i++)
        {
            if (Granted(i))
            {
                granted++;
                fence = Counts is null ? 0 : Math.Max(fence, Counts[i].Result);
            }
        }

        return granted >= Lock.Quorum && StillValid;
    }

    /// <summary>
    /// Whether a quorum of granting masters already counted the fence itself (healthy masters count
    /// in step), which makes every later quorum's count larger: any later quorum shares a master with this one.
    /// A lock without fencing tokens has nothing to agree on.
    /// </summary>
    public bool FenceAgreed(long fence)
    {
        if (Counts is null)
        {
            return true;
        }

        var atFence = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            atFence += Granted(i) && Counts[i].Result == fence ? 1 : 0;
        }

        return atFence >= Lock.Quorum;
    }

    /// <summary>Whether validity is left: the auto-release time less the time since the try started and the drift.</summary>
    public bool StillValid => Stopwatch.GetElapsedTime(Start) < Lock.Validity;

    /// <summary>
    /// How many masters failed outright (refused the command or could not be sent it); a master that
    /// timed out is silent, not failed, and may answer the next try (see <see cref="QuorumIsImpossible"/>).
    /// </summary>
    public int FailedMasters
    {
        get
        {
            var failed = 0;
            foreach (var call in Last)
            {
                failed += call.IsFaulted && call.Exception.InnerException is not TimeoutException ? 1 : 0;
            }

            return failed;
        }
    }

    /// <summary>Notes which masters answered this try, granted or not.</summary>
    /// <param name="answered">Per master, whether it answered any try of the call so far.</param>
    public void NoteAnswers(bool[] answered)
    {
        var last = Last;
        for (var i = 0; i < last.Length; i++)
        {
            answered[i] |= last[i].IsCompletedSuccessfully;
        }
    }

    /// <summary>What the masters answered this try, as it stands now.</summary>
    public RoundTally Tally() => RoundTally.Of(Last, Granted, Lock.Quorum);

    /// <summary>
    /// Whether too few masters could be asked in the whole call for a quorum, judged on its last try
    /// (see <see cref="RoundTally.QuorumIsImpossible"/>): masters that failed or stayed silent count
    /// against it unless they answered an earlier try (a last try cut short by the deadline says
    /// nothing about masters that answered before).
    /// </summary>
    /// <param name="answeredBefore">Per master, whether it answered an earlier try; null for none.</param>
    /// <param name="unreachable">How many masters failed or stayed silent throughout.</param>
    public bool QuorumIsImpossible(bool[]? answeredBefore, out int unreachable)
    {
        var tally = Tally();
        var last = Last;
        unreachable = 0;
        for (var i = 0; i < last.Length; i++)
        {
            unreachable += !last[i].IsCompletedSuccessfully && answeredBefore?[i] != true ? 1 : 0;
        }

        return !tally.Agrees && tally.Refused <= tally.Masters - tally.Quorum && tally.Masters - unreachable < tally.Quorum;
    }

    /// <summary>Waits up to <paramref name="wait"/> for every master's answer to this try.</summary>
    public Task SettleAsync(TimeSpan wait) => MasterRounds.SettleAsync(Last, wait, CancellationToken.None);

    /// <summary>The first failure among the masters' replies, for the exception that reports them.</summary>
    public Exception? FirstFailure
    {
        get
        {
            foreach (var call in Last)
            {
                if (call.IsFaulted)
                {
                    return call.Exception.InnerException;
                }
            }

            return null;
        }
    }

    /// <summary>The master whose fencing counter holds another type than a string (Redis' WRONGTYPE), if any.</summary>
    public (int Master, RedisServerException Error)? WrongTypeFence()
    {
        for (var i = 0; Counts is not null && i < Counts.Length; i++)
        {
            if (Counts[i].IsFaulted && Counts[i].Exception!.InnerException is RedisServerException error && RedisErrors.IsWrongType(error))
            {
                return (i, error);
            }
        }

        return null;
    }

    /// <summary>
    /// Nobody awaits every call (a round ends at a quorum, a timeout or a cancellation), so their
    /// failures are read here, or when they come, lest they surface as unobserved. A master's
    /// count replies (or fails) after its SET, so a late master needs one continuation, not two;
    /// a round decided at a quorum needs none, since its watch follows every count to its end.
    /// </summary>
    public void ObserveFailures()
    {
        var last = Last;
        if (Lock.Quorum < last.Length)
        {
            return;
        }

        for (var i = 0; i < last.Length; i++)
        {
            if (last[i].IsCompleted)
            {
                _ = (Sets[i].Exception, last[i].Exception);
            }
            else
            {
                last[i].ContinueWith(static (call, set) => (call.Exception, ((Task)set!).Exception), Sets[i], CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    // The call each master answers last: its count, or the SET of a lock without fencing tokens.
    private Task[] Last => (Task[]?)Counts ?? Sets;
}

using System.Diagnostics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// One try to acquire a <see cref="Redlock"/>: its token, its start (for the validity) and its SET
/// and INCR calls, one of each per master.
/// </summary>
/// <remarks>
/// The try is SET NX PX, then INCR of the fencing counter, pipelined as two plain commands (a script
/// costs the server more than both). The counter shares the lock's hash slot, so both go down one
/// connection and run in that order. The counter also rises on tries that fail, which leaves holes,
/// as fencing allows; <see cref="Redlock"/>'s remarks say why an accepted try's count still exceeds
/// every earlier holder's.
/// </remarks>
internal readonly record struct RedlockAttempt(Redlock Lock, string Token, long Start, Task<bool>[] Sets, Task<long>[] Counts)
{
    /// <summary>Sends a try to every master.</summary>
    public static RedlockAttempt Send(Redlock redlock)
    {
        var token = LockTokens.Next();
        var start = Stopwatch.GetTimestamp();
        var masters = redlock.Masters;
        var keys = redlock.Keys;
        var sets = new Task<bool>[masters.Length];
        var counts = new Task<long>[masters.Length];
        for (var i = 0; i < masters.Length; i++)
        {
            try
            {
                sets[i] = masters[i].StringSetAsync(keys[0], token, redlock.AutoReleaseTime, When.NotExists);
                counts[i] = masters[i].StringIncrementAsync(keys[1]);
            }
            catch (RedisException error)
            {
                (sets[i], counts[i]) = (Task.FromException<bool>(error), Task.FromException<long>(error));
            }
        }

        return new(redlock, token, start, sets, counts);
    }

    /// <summary>
    /// Completes when the try is decided. A master's count replies after its SET, so the counts
    /// alone are waited for; one master's is awaited as it is, with nothing around it.
    /// </summary>
    public Task Decided() =>
        Lock.Quorum < Counts.Length ? QuorumWatch.Start(Counts, Lock.Quorum, Granted, Sets).Decided
        : Counts.Length == 1 ? Counts[0]
        : Task.WhenAll(Counts);

    /// <summary>Whether the master's SET took and its count came back (then the SET's reply, sent before, has too).</summary>
    public bool Granted(int master) => Sets[master] is { IsCompletedSuccessfully: true, Result: true } && Counts[master].IsCompletedSuccessfully;

    /// <summary>The largest fencing count among the grants when a quorum granted in time, else 0.</summary>
    public long GrantedFence()
    {
        var fence = 0L;
        var granted = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            if (Granted(i))
            {
                granted++;
                fence = Math.Max(fence, Counts[i].Result);
            }
        }

        return granted >= Lock.Quorum && StillValid ? fence : 0;
    }

    /// <summary>
    /// Whether a quorum of granting masters already counted the fence itself (healthy masters count
    /// in step), which makes every later quorum's count larger: any later quorum shares a master with this one.
    /// </summary>
    public bool FenceAgreed(long fence)
    {
        var atFence = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            atFence += Granted(i) && Counts[i].Result == fence ? 1 : 0;
        }

        return atFence >= Lock.Quorum;
    }

    /// <summary>Whether validity is left: the auto-release time less the time since the try started and the drift.</summary>
    public bool StillValid => Stopwatch.GetElapsedTime(Start) < Lock.Validity;

    /// <summary>How many masters failed outright; a master that merely timed out is slow, not failed, and may answer the next try.</summary>
    public int FailedMasters
    {
        get
        {
            var failed = 0;
            foreach (var count in Counts)
            {
                failed += count.IsFaulted && count.Exception.InnerException is not TimeoutException ? 1 : 0;
            }

            return failed;
        }
    }

    /// <summary>
    /// Nobody awaits every call (a round ends at a quorum, a timeout or a cancellation), so their
    /// failures are read here, or when they come, lest they surface as unobserved. A master's
    /// count replies (or fails) after its SET, so a late master needs one continuation, not two;
    /// a round decided at a quorum needs none, since its watch follows every count to its end.
    /// </summary>
    public void ObserveFailures()
    {
        if (Lock.Quorum < Counts.Length)
        {
            return;
        }

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

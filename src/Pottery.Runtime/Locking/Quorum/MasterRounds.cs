using System.Diagnostics;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A round of a multi-master protocol (Redlock, NextId): one script sent to every master at once by
/// its SHA1, and the replies collected. A master that failed, or did not answer within the round's
/// wait, gives a null reply and takes no part; a master that lost the script (a restart, <c>SCRIPT
/// FLUSH</c>) gets it in full once more.
/// </summary>
internal static class MasterRounds
{
    // The reply of a script that did what it was asked (released, extended, raised the fence).
    private static readonly Func<RedisResult, bool> Done = static reply => !reply.IsNull && (long)reply == 1;

    /// <summary>Sends the script to every master at once.</summary>
    /// <returns>One call per master, in the masters' order.</returns>
    public static Task<RedisResult>[] Start(IDatabase[] masters, RedisScript script, RedisKey[] keys, RedisValue[] values)
    {
        var calls = new Task<RedisResult>[masters.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = script.Send(masters[i], keys, values);
        }

        return calls;
    }

    /// <summary>Sends the script to every master and collects the replies (see <see cref="RepliesAsync"/>).</summary>
    public static ValueTask<RedisResult?[]> RunAsync(IDatabase[] masters, RedisScript script, RedisKey[] keys, RedisValue[] values, TimeSpan wait, CancellationToken cancellationToken) =>
        RepliesAsync(masters, script, keys, values, Start(masters, script, keys, values), wait, cancellationToken);

    /// <summary>
    /// Sends a script that replies 1 when it did what it was asked to every master, and counts the
    /// masters that did, said no, or did not answer, returning once a quorum did or no longer can.
    /// The slowest masters then do not hold up the caller: their calls go on (a connection runs its
    /// commands in order, so whatever the caller sends them next comes after). A round that failed
    /// waits, within <paramref name="wait"/>, for the masters that still decide why (see
    /// <see cref="RoundTally.Settled"/>), resending the script to those that lost it.
    /// </summary>
    /// <returns>What the masters answered by then.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<RoundTally> CountAsync(IDatabase[] masters, RedisScript script, RedisKey[] keys, RedisValue[] values, int quorum, TimeSpan wait, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var calls = Start(masters, script, keys, values);
        if (quorum == calls.Length)
        {
            // Nothing is decided before every master answered, and waiting for all costs less than a watch.
            await RepliesAsync(masters, script, keys, values, calls, wait, cancellationToken).ConfigureAwait(false);
            return RoundTally.Of(calls, master => Done(calls[master].Result), quorum);
        }

        var watch = QuorumWatch.Start(masters, script, keys, values, calls, quorum, master => Done(calls[master].Result));
        try
        {
            await UntilAsync(watch.Decided, wait, cancellationToken).ConfigureAwait(false);
            var tally = watch.Tally();
            if (tally.Settled)
            {
                return tally;
            }

            await UntilAsync(watch.Ended, Left(wait, start), cancellationToken).ConfigureAwait(false);
            return watch.Tally();
        }
        finally
        {
            watch.Close();
        }
    }

    /// <summary>Waits up to <paramref name="wait"/> for every call to end, however it ends.</summary>
    /// <param name="calls">The calls.</param>
    /// <param name="wait">How long at most; <see cref="Timeout.InfiniteTimeSpan"/> for as long as they take.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when they ended or the wait is over.</returns>
    public static async Task SettleAsync(Task[] calls, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(calls).WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // What answered is all there is.
        }
    }

    /// <summary>What is left of <paramref name="wait"/> since <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static TimeSpan Left(TimeSpan wait, long start)
    {
        if (wait == Timeout.InfiniteTimeSpan)
        {
            return wait;
        }

        var left = wait - Stopwatch.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// The replies of calls from <see cref="Start"/>, waiting at most <paramref name="wait"/> (or
    /// <see cref="Timeout.InfiniteTimeSpan"/>) for them; null for a master that failed or was late.
    /// <paramref name="calls"/> is updated with any resent call, so a caller can tell failures apart.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<RedisResult?[]> RepliesAsync(IDatabase[] masters, RedisScript script, RedisKey[] keys, RedisValue[] values, Task<RedisResult>[] calls, TimeSpan wait, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await (calls.Length == 1 ? calls[0] : Task.WhenAll((Task[])calls)).WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                // Counted below: only the masters that answered in time take part.
            }

            // A master that lost the script gets it in full once; losing it again is a failure like any other.
            if (attempt > 0 || !ResendLost(masters, script, keys, values, calls))
            {
                break;
            }
        }

        return Completed(calls);
    }

    // A spent wait is no error: what answered by then is all there is.
    private static async Task UntilAsync(Task task, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private static RedisResult?[] Completed(Task<RedisResult>[] calls)
    {
        var replies = new RedisResult?[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            replies[i] = calls[i].IsCompletedSuccessfully ? calls[i].Result : null;
        }

        return replies;
    }

    private static bool ResendLost(IDatabase[] masters, RedisScript script, RedisKey[] keys, RedisValue[] values, Task<RedisResult>[] calls)
    {
        var resent = false;
        for (var i = 0; i < calls.Length; i++)
        {
            if (RedisScript.Lost(calls[i]))
            {
                calls[i] = script.Resend(masters[i], keys, values);
                resent = true;
            }
        }

        return resent;
    }
}

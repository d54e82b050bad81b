using StackExchange.Redis;

namespace Pottery;

/// <summary>How much longer a <see cref="Redlock"/> is held according to a quorum of masters.</summary>
internal static class RedlockHeldFor
{
    /// <summary>
    /// The remaining validity of the acquisition holding <paramref name="token"/>, or of whoever
    /// holds the lock when the token is empty; zero when no quorum agrees that it is held.
    /// </summary>
    /// <exception cref="QuorumIsImpossibleException">Too few masters answered to tell.</exception>
    public static async ValueTask<TimeSpan> RemainingAsync(Redlock redlock, RedisValue token, CancellationToken cancellationToken)
    {
        var replies = await MasterRounds.RunAsync(redlock.Masters, RedlockScripts.Remaining, redlock.Keys, [token], redlock.RoundWait, cancellationToken).ConfigureAwait(false);
        var answered = replies.Count(reply => reply is not null);
        if (answered < redlock.Quorum)
        {
            throw RedlockErrors.Unanswered(redlock, "tell how long anyone holds", replies.Length - answered, error: null);
        }

        var held = replies.Where(r => r is { IsNull: false } && (long)r > 0).Select(r => (long)r!).OrderDescending().ToArray();
        if (held.Length < redlock.Quorum)
        {
            return TimeSpan.Zero;
        }

        // The quorum-th longest time is how long a quorum still agrees.
        var remaining = TimeSpan.FromMilliseconds(held[redlock.Quorum - 1]) - redlock.Drift;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}

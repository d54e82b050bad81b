using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Releasing one acquisition of a <see cref="Redlock"/>, identified by its token: the release script
/// deletes the key only where that token holds it, so nothing else is ever released.
/// </summary>
internal static class RedlockRelease
{
    /// <summary>Releases on every master, announcing it to waiters; released when a quorum held the token.</summary>
    /// <returns>How many masters released it, and how many answered at all.</returns>
    public static ValueTask<RoundTally> ReleaseAsync(Redlock redlock, string token, CancellationToken cancellationToken) =>
        MasterRounds.CountAsync(redlock.Masters, RedlockScripts.Release, redlock.Keys, [token, RedlockAcquire.Released], redlock.Quorum, redlock.RoundWait, cancellationToken);

    /// <summary>
    /// Releases and announces without waiting for replies: a scope's end should not pay a round trip.
    /// Commands on a connection run in order, so whatever the caller sends next still comes after it.
    /// </summary>
    public static void InBackground(Redlock redlock, string token) => SendToEveryMaster(redlock, [token, RedlockAcquire.Released]);

    /// <summary>
    /// Releases a try's partial grants without announcing a release: waiters woken by it would only
    /// find the lock still held (their own undo would even wake themselves), where a random pause
    /// lets contenders that split the masters between them fall out of step.
    /// </summary>
    public static void Undo(Redlock redlock, string token) => SendToEveryMaster(redlock, [token, RedisValue.EmptyString]);

    // Fire-and-forget, so sent by source and left to StackExchange.Redis' own script cache: no reply reaches our NOSCRIPT resend.
    private static void SendToEveryMaster(Redlock redlock, RedisValue[] values)
    {
        foreach (var master in redlock.Masters)
        {
            try
            {
                master.ScriptEvaluate(RedlockScripts.Release.Source, redlock.Keys, values, CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
                // A master that cannot be reached is left to expire the key on its own.
            }
        }
    }
}

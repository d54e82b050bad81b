namespace Pottery;

/// <summary>
/// Extending one acquisition of a <see cref="Redlock"/>: resets the key's time to live to the
/// auto-release time wherever its token still holds it. The handle counts extensions; the watchdog's
/// renewals come through here too and are not counted.
/// </summary>
internal static class RedlockExtend
{
    /// <summary>
    /// Extends on every master, waiting for them no longer than <paramref name="wait"/> (the
    /// acquisition's remaining validity: an extension that comes later extends nothing); extended
    /// when a quorum still held the token.
    /// </summary>
    /// <returns>How many masters extended it, and how many answered at all.</returns>
    public static ValueTask<RoundTally> RenewAsync(Redlock redlock, string token, TimeSpan wait, CancellationToken cancellationToken) =>
        MasterRounds.CountAsync(redlock.Masters, RedlockScripts.Extend, redlock.Keys, [token, (long)redlock.AutoReleaseTime.TotalMilliseconds], redlock.Quorum, wait, cancellationToken);
}

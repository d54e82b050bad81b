namespace Pottery;

/// <summary>
/// Extending one acquisition of a <see cref="Redlock"/>: resets the key's time to live to the
/// auto-release time wherever its token still holds it. The handle counts extensions; the watchdog's
/// renewals come through here too and are not counted.
/// </summary>
internal static class RedlockExtend
{
    /// <summary>Extends on every master; true when a quorum still held the token.</summary>
    public static async ValueTask<bool> RenewAsync(Redlock redlock, string token, CancellationToken cancellationToken) =>
        await MasterRounds.CountAsync(redlock.Masters, RedlockScripts.Extend, redlock.Keys, [token, (long)redlock.AutoReleaseTime.TotalMilliseconds], redlock.Quorum, redlock.RoundWait, cancellationToken).ConfigureAwait(false) >= redlock.Quorum;
}

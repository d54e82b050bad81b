namespace Pottery;

/// <summary>
/// The exceptions of the lock's steps, worded in one place. A master that said no and a master that
/// did not answer are never reported the same way: too few answers make a quorum impossible
/// (<see cref="QuorumIsImpossibleException"/>), enough answers that say no mean the lock is held by
/// someone else or no longer by the caller.
/// </summary>
internal static class RedlockErrors
{
    /// <summary>So many masters failed outright (refused the command, or could not be sent it) that no quorum is possible.</summary>
    public static QuorumIsImpossibleException Failed(Redlock redlock, int failed, Exception? error) =>
        LockTelemetry.QuorumImpossible(redlock, "acquire", new($"{failed} of {redlock.Masters.Length} masters failed, so no quorum of {redlock.Quorum} is possible for the lock '{redlock.Name}'{Reason(error)}", redlock.Key.ToString(), error));

    /// <summary>Too few masters answered in time (they failed, timed out, or stayed silent until the call's time was up) for a quorum.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="what">What the call did, e.g. <c>acquire</c>.</param>
    /// <param name="unanswered">How many masters did not answer.</param>
    /// <param name="error">The first failure among them, if any failed rather than stayed silent.</param>
    public static QuorumIsImpossibleException Unanswered(Redlock redlock, string what, int unanswered, Exception? error) =>
        LockTelemetry.QuorumImpossible(redlock, Operation(what), new($"Could not {what} the lock '{redlock.Name}': {unanswered} of {redlock.Masters.Length} masters did not answer in time, so no quorum of {redlock.Quorum} was possible{Reason(error)}", redlock.Key.ToString(), error));

    /// <summary>Why a release did not take: too few answers, or answers that say the token did not hold the lock.</summary>
    /// <param name="redlock">The lock.</param>
    /// <param name="tally">What the release round got.</param>
    /// <param name="subject">What was released, for the message: <c>with the given token</c>, say.</param>
    /// <param name="causes">Why the token may have stopped holding the lock.</param>
    public static PrimitiveException NotReleased(Redlock redlock, RoundTally tally, string subject, string causes) =>
        tally.QuorumIsImpossible
            ? Unanswered(redlock, "release", tally.Unanswered, tally.FirstFailure)
            : new ReleaseUnlockedLockException($"Cannot release the lock '{redlock.Name}' {subject}: {Refusals(redlock, tally, causes)}, so no quorum of {redlock.Quorum} released it.", redlock.Key.ToString());

    /// <summary>Why an extension did not take (see <see cref="NotReleased"/>).</summary>
    public static PrimitiveException NotExtended(Redlock redlock, RoundTally tally) =>
        tally.QuorumIsImpossible
            ? Unanswered(redlock, "extend", tally.Unanswered, tally.FirstFailure)
            : new ExtendUnlockedLockException($"Cannot extend the lock '{redlock.Name}': {Refusals(redlock, tally, "released, expired, or lost")}, so no quorum of {redlock.Quorum} extended it.", redlock.Key.ToString());

    private static string Refusals(Redlock redlock, RoundTally tally, string causes)
    {
        var silent = tally.Unanswered > 0 ? $" and {tally.Unanswered} did not answer" : string.Empty;
        return $"{tally.Refused} of {redlock.Masters.Length} masters answered that it did not hold the lock ({causes}){silent}";
    }

    // The step as the pottery.lock.operation tag names it.
    private static string Operation(string what) => what switch
    {
        "acquire" or "extend" or "release" => what,
        _ => "held_for",
    };

    private static string Reason(Exception? error) => error is null ? "." : $": {error.Message}";
}

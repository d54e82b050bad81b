namespace Pottery;

/// <summary>
/// What the masters of one round answered: how many did what they were asked, how many said no,
/// failed (a timeout included), or had not answered when the round ended. "Someone else holds it"
/// and "too few masters answered to tell" are different outcomes, reported differently.
/// </summary>
/// <param name="Agreed">How many masters did what they were asked.</param>
/// <param name="Refused">How many answered no.</param>
/// <param name="Failed">How many failed.</param>
/// <param name="Pending">How many had not answered when the round ended.</param>
/// <param name="Quorum">How many must agree.</param>
/// <param name="FirstFailure">The first failure, if any master failed.</param>
internal readonly record struct RoundTally(int Agreed, int Refused, int Failed, int Pending, int Quorum, Exception? FirstFailure)
{
    /// <summary>How many masters the round was sent to.</summary>
    public int Masters => Agreed + Refused + Failed + Pending;

    /// <summary>How many masters failed or had not answered.</summary>
    public int Unanswered => Failed + Pending;

    /// <summary>Whether a quorum did what it was asked.</summary>
    public bool Agrees => Agreed >= Quorum;

    /// <summary>
    /// Whether the round failed for want of answers: too few masters answered for a quorum, and the
    /// refusals alone do not rule one out. Judge a <see cref="Settled"/> tally: a round decided early
    /// leaves its slowest masters pending, unasked.
    /// </summary>
    public bool QuorumIsImpossible => !Agrees && Refused <= Masters - Quorum && Agreed + Refused < Quorum;

    /// <summary>
    /// Whether the tally says all it can: the round agreed, or its refusals alone rule a quorum out,
    /// or nobody is pending. Otherwise the pending masters' answers decide between "held by someone
    /// else" and "could not ask enough masters", and are worth waiting for while the round's time lasts.
    /// </summary>
    public bool Settled => Agrees || Refused > Masters - Quorum || Pending == 0;

    /// <summary>Tallies the calls of a round as they stand now.</summary>
    /// <param name="calls">One call per master.</param>
    /// <param name="agrees">Whether the master of a call that succeeded did what it was asked, by index.</param>
    /// <param name="quorum">How many must agree.</param>
    /// <returns>The tally.</returns>
    public static RoundTally Of(Task[] calls, Func<int, bool> agrees, int quorum)
    {
        var (agreed, refused, failed, pending) = (0, 0, 0, 0);
        Exception? failure = null;
        for (var i = 0; i < calls.Length; i++)
        {
            var call = calls[i];
            if (call.IsCompletedSuccessfully)
            {
                (agreed, refused) = agrees(i) ? (agreed + 1, refused) : (agreed, refused + 1);
            }
            else if (call.IsFaulted)
            {
                failed++;
                failure ??= call.Exception.InnerException;
            }
            else
            {
                pending++;
            }
        }

        return new(agreed, refused, failed, pending, quorum, failure);
    }
}

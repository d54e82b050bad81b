using System.Diagnostics;

namespace Pottery;

/// <summary>
/// When a waiting call gives up: its timeout counts from the call's start and covers every round
/// trip and wait in it, not each one.
/// </summary>
internal readonly struct Deadline
{
    // The longest a timer waits in one go.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly long _at;

    private Deadline(long at) => _at = at;

    /// <summary>A deadline that never passes.</summary>
    public static Deadline Never => new(long.MaxValue);

    /// <summary>Whether the call may not wait at all.</summary>
    public bool IsNow => _at == long.MinValue;

    /// <summary>Whether the time is up.</summary>
    public bool HasPassed => _at != long.MaxValue && Stopwatch.GetTimestamp() >= _at;

    /// <summary>The deadline <paramref name="timeout"/> from now.</summary>
    /// <param name="timeout"><see cref="TimeSpan.Zero"/> for no wait, <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <returns>The deadline.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public static Deadline After(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Never;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(timeout));
        if (timeout == TimeSpan.Zero)
        {
            return new(long.MinValue);
        }

        var now = Stopwatch.GetTimestamp();
        var ticks = timeout.TotalSeconds * Stopwatch.Frequency;
        return ticks >= long.MaxValue - now ? Never : new(now + (long)ticks);
    }

    /// <summary>How long is left; <see cref="TimeSpan.MaxValue"/> for a deadline that never passes, zero or less once passed.</summary>
    public TimeSpan Remaining => _at == long.MaxValue ? TimeSpan.MaxValue : _at == long.MinValue ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _at);

    /// <summary>How long a wait of at most <paramref name="pause"/> may last before the deadline.</summary>
    /// <param name="pause">The longest wait wanted.</param>
    /// <returns><paramref name="pause"/>, or less when the deadline is nearer.</returns>
    public TimeSpan Cap(TimeSpan pause)
    {
        var remaining = Remaining;
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < pause ? remaining : pause;
    }

    /// <summary>
    /// A token that also ends at this deadline, for a call whose every step takes one; null when the
    /// deadline is now or never (then <paramref name="cancellationToken"/> alone ends the call).
    /// </summary>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The source to dispose when the call ends, or null.</returns>
    public CancellationTokenSource? Bound(CancellationToken cancellationToken)
    {
        var remaining = Remaining;
        if (IsNow || remaining == TimeSpan.MaxValue)
        {
            return null;
        }

        var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < LongestTimer ? remaining : LongestTimer);
        return bounded;
    }

    /// <summary>Whether a cancellation came from the deadline of <paramref name="bounded"/> (see <see cref="Bound"/>) rather than from the caller.</summary>
    /// <param name="bounded">What <see cref="Bound"/> returned.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>Whether the deadline was reached.</returns>
    public static bool Reached(CancellationTokenSource? bounded, CancellationToken cancellationToken) =>
        bounded is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested;
}

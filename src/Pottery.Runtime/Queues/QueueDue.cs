using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// When an enqueued item may first be taken: at once, after a delay counted on the server's clock
/// from when the server stores it, or at a wall-clock time compared with the server's clock. Both
/// round up to whole milliseconds, so an item is never handed out before it is due.
/// </summary>
internal readonly struct QueueDue
{
    private QueueDue(bool absolute, long milliseconds) => (IsAbsolute, Milliseconds) = (absolute, milliseconds);

    /// <summary>At once (the default).</summary>
    public static QueueDue Now => default;

    /// <summary>Whether <see cref="Milliseconds"/> is a Unix time rather than a delay.</summary>
    public bool IsAbsolute { get; }

    /// <summary>The delay, or the Unix time, in milliseconds.</summary>
    public long Milliseconds { get; }

    /// <summary>What the push script reads: <c>in</c> for a delay, <c>at</c> for a Unix time.</summary>
    public RedisValue Mode => IsAbsolute ? "at" : "in";

    /// <summary><paramref name="delay"/> after the server stores the item.</summary>
    /// <param name="delay">How long the item stays invisible; zero for at once.</param>
    /// <returns>The due time.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static QueueDue After(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A delay cannot be negative; use TimeSpan.Zero for an item due at once.");
        }

        return new(false, (long)Math.Ceiling(delay.TotalMilliseconds));
    }

    /// <summary>At <paramref name="dueTime"/> by the server's clock; a time already past is due at once.</summary>
    /// <param name="dueTime">When the item may first be taken.</param>
    /// <returns>The due time.</returns>
    public static QueueDue At(DateTimeOffset dueTime)
    {
        var ticks = dueTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var milliseconds = ticks / TimeSpan.TicksPerMillisecond;
        return new(true, ticks % TimeSpan.TicksPerMillisecond > 0 ? milliseconds + 1 : milliseconds);
    }
}

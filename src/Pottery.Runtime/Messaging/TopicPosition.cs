using System.Globalization;

namespace Pottery;

/// <summary>
/// Where a reader of a <see cref="RedisReliableTopic{T}"/> starts: a consumer group created there, or
/// a read without a group, receives the messages published after it.
/// </summary>
public sealed class TopicPosition
{
    private TopicPosition(string afterId) => AfterId = afterId;

    /// <summary>Every message still retained: from the beginning of the stream.</summary>
    public static TopicPosition Beginning { get; } = new("0-0");

    /// <summary>Only messages published from now on (Redis' <c>$</c>).</summary>
    public static TopicPosition NewMessages { get; } = new("$");

    /// <summary>The stream id after which reading starts (exclusive): <c>0-0</c> for <see cref="Beginning"/>, <c>$</c> for <see cref="NewMessages"/>.</summary>
    public string AfterId { get; }

    /// <summary>The messages after the one with id <paramref name="id"/> (an id that <c>PublishAsync</c> returned, or any <c>&lt;ms&gt;-&lt;seq&gt;</c>): to resume after the last message processed.</summary>
    /// <param name="id">A stream id: <c>&lt;milliseconds&gt;-&lt;sequence&gt;</c>, or <c>&lt;milliseconds&gt;</c> alone.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a stream id.</exception>
    public static TopicPosition After(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var valid = dash < 0
            ? IsNumber(id)
            : IsNumber(id[..dash]) && IsNumber(id[(dash + 1)..]);
        return valid
            ? new(id)
            : throw new ArgumentException($"'{id}' is not a stream id: it must be <milliseconds>-<sequence> (such as 1700000000000-0) or <milliseconds>.", nameof(id));

        static bool IsNumber(string part) => part.Length > 0 && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>The messages published at or after <paramref name="time"/> (by the server's clock, which stamps each id).</summary>
    /// <param name="time">The earliest publication time wanted.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is before 1970.</exception>
    public static TopicPosition Since(DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(time));
        // Ids after the last one possible in the millisecond before.
        return milliseconds == 0 ? Beginning : new((milliseconds - 1).ToString(CultureInfo.InvariantCulture) + "-" + ulong.MaxValue.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public override string ToString() => AfterId switch
    {
        "0-0" => "the beginning",
        "$" => "new messages",
        var id => "after " + id,
    };
}

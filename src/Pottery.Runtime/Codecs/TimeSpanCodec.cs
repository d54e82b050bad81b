using System.Globalization;
using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores durations in .NET's constant format (<c>1.02:03:04.5000000</c>, <c>-00:00:01</c>).</summary>
public sealed class TimeSpanCodec : IRedisCodec<TimeSpan>
{
    /// <summary>The shared instance.</summary>
    public static TimeSpanCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public TimeSpan Decode(RedisValue value) =>
        TimeSpan.TryParseExact((string?)value, "c", CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException("Expected a duration in constant format, e.g. 1.02:03:04.5.");
}

using System.Globalization;
using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores dates and times with offsets as ISO 8601 round-trip text (<c>2026-11-24T06:47:43.0000000+01:00</c>).</summary>
public sealed class DateTimeOffsetCodec : IRedisCodec<DateTimeOffset>
{
    /// <summary>The shared instance.</summary>
    public static DateTimeOffsetCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public DateTimeOffset Decode(RedisValue value) =>
        DateTimeOffset.TryParseExact((string?)value, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var result)
            ? result
            : throw new FormatException("Expected an ISO 8601 round-trip date and time with offset.");
}

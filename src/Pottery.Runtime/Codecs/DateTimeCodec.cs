using System.Globalization;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Stores dates and times as ISO 8601 round-trip text (<c>2026-11-24T06:47:43.1234567Z</c>),
/// keeping the <see cref="DateTimeKind"/>: UTC ends in <c>Z</c>, local carries its offset,
/// unspecified has neither.
/// </summary>
public sealed class DateTimeCodec : IRedisCodec<DateTime>
{
    /// <summary>The shared instance.</summary>
    public static DateTimeCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(DateTime value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public DateTime Decode(RedisValue value) =>
        DateTime.TryParseExact((string?)value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var result)
            ? result
            : throw new FormatException("Expected an ISO 8601 round-trip date and time.");
}

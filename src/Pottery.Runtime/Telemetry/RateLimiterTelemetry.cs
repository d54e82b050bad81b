namespace Pottery;

/// <summary>
/// What the rate limiters report: permits granted or refused, by limiter kind. Limiters are often
/// made per partition (a user, an address), so their keys are not tags: that would make a series per caller.
/// </summary>
internal static class RateLimiterTelemetry
{
    /// <summary>The value of <see cref="TelemetryTags.RateLimiterKind"/> for <see cref="RedisTokenBucketRateLimiter"/>.</summary>
    public const string TokenBucket = "token_bucket";

    /// <summary>The value of <see cref="TelemetryTags.RateLimiterKind"/> for <see cref="RedisSlidingWindowRateLimiter"/>.</summary>
    public const string SlidingWindow = "sliding_window";

    /// <summary>Counts <paramref name="permits"/> granted or refused by a limiter of <paramref name="kind"/>.</summary>
    /// <param name="kind"><see cref="TokenBucket"/> or <see cref="SlidingWindow"/>.</param>
    /// <param name="permits">The permits the call asked for.</param>
    /// <param name="granted">Whether the call's lease was granted.</param>
    public static void Decided(string kind, int permits, bool granted)
    {
        if (PotteryInstruments.RateLimiterPermits.Enabled)
        {
            PotteryInstruments.RateLimiterPermits.Add(
                permits,
                new KeyValuePair<string, object?>(TelemetryTags.RateLimiterKind, kind),
                new KeyValuePair<string, object?>(TelemetryTags.RateLimiterOutcome, granted ? "granted" : "refused"));
        }
    }
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>What one acquire script decided (see <see cref="RateLimitScripts"/>).</summary>
/// <param name="Granted">Whether the permits were granted.</param>
/// <param name="Available">The permits available afterwards, as the server counted them.</param>
/// <param name="RetryAfter">When refused, how long until the permits asked for could be granted.</param>
internal readonly record struct RateLimitDecision(bool Granted, long Available, TimeSpan RetryAfter)
{
    /// <summary>Reads a script's reply: <c>{granted, available, microseconds until enough}</c>.</summary>
    /// <param name="reply">The script's reply.</param>
    /// <returns>The decision.</returns>
    public static RateLimitDecision Of(RedisResult reply)
    {
        var values = (RedisResult[])reply!;
        return new((long)values[0] == 1, (long)values[1], TimeSpan.FromTicks((long)values[2] * TimeSpan.TicksPerMicrosecond));
    }
}

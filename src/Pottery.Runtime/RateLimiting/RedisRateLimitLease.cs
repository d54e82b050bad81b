using System.Threading.RateLimiting;

namespace Pottery;

/// <summary>
/// A lease from a Redis rate limiter: granted, or refused with how long until the permits asked for
/// could be granted (<see cref="MetadataName.RetryAfter"/>, computed by the server). Disposing it
/// returns nothing: a rate limiter's permits come back with time, not with their holders.
/// </summary>
internal sealed class RedisRateLimitLease : RateLimitLease
{
    private static readonly string[] RetryAfterName = [MetadataName.RetryAfter.Name];

    private readonly TimeSpan? _retryAfter;

    private RedisRateLimitLease(bool acquired, TimeSpan? retryAfter) => (IsAcquired, _retryAfter) = (acquired, retryAfter);

    /// <summary>The granted lease; it carries nothing, so every grant shares it.</summary>
    public static RedisRateLimitLease Granted { get; } = new(true, null);

    /// <summary>The lease of a synchronous try that a limiter refuses without asking Redis: it carries nothing.</summary>
    public static RedisRateLimitLease NotAsked { get; } = new(false, null);

    /// <inheritdoc />
    public override bool IsAcquired { get; }

    /// <inheritdoc />
    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : RetryAfterName;

    /// <summary>A refused lease.</summary>
    /// <param name="retryAfter">How long until the permits asked for could be granted, as the server computed it.</param>
    /// <returns>The lease.</returns>
    public static RedisRateLimitLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

    /// <inheritdoc />
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (_retryAfter is { } retryAfter && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = retryAfter;
            return true;
        }

        metadata = null;
        return false;
    }
}

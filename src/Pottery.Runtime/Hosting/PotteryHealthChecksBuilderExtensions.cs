using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pottery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of Pottery's Redis connection and lock masters (after <c>AddPottery</c>).</summary>
public static class PotteryHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that PINGs Pottery's main database: Healthy with the latency when it answers
    /// within <see cref="PotteryOptions.HealthCheckTimeout"/>, <paramref name="failureStatus"/> with the
    /// reason (no connection, no answer in time, an error) otherwise.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when Redis does not answer; Unhealthy by default.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPotteryRedis(this IHealthChecksBuilder builder, string name = "pottery-redis", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new RedisHealthCheck(sp), failureStatus, tags));
    }

    /// <summary>
    /// Adds a check that PINGs every one of <see cref="PotteryRedis.LockMasters"/> at once: Healthy when
    /// all answer within <see cref="PotteryOptions.HealthCheckTimeout"/>, Degraded when some do not but a
    /// quorum (n/2+1) does, <paramref name="failureStatus"/> when fewer than a quorum answer, so locks cannot be taken.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status without a quorum; Unhealthy by default.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPotteryLockQuorum(this IHealthChecksBuilder builder, string name = "pottery-lock-quorum", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new LockQuorumHealthCheck(sp), failureStatus, tags));
    }
}

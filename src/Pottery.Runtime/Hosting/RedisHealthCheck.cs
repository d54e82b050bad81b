using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pottery;

/// <summary>Healthy when Pottery's main database answers <c>PING</c> within <see cref="PotteryOptions.HealthCheckTimeout"/>.</summary>
internal sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (redis, failure) = HealthPing.Resolve(services, context, "Redis");
        if (redis is null)
        {
            return failure;
        }

        var timeout = redis.Options.HealthCheckTimeout;
        var answer = await HealthPing.PingAsync(redis.Database, timeout, cancellationToken).ConfigureAwait(false);
        return answer.Error is null
            ? HealthCheckResult.Healthy($"Redis answered PING in {answer.Latency.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms.")
            : new HealthCheckResult(context.Registration.FailureStatus, "Redis " + answer.Problem, answer.Error);
    }
}

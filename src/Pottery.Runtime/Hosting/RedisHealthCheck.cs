using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pottery;

/// <summary>Healthy when Pottery's main database answers <c>PING</c> within <see cref="PotteryOptions.HealthCheckTimeout"/>.</summary>
internal sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        PotteryRedis redis;
        try
        {
            redis = services.GetRequiredService<PotteryRedis>();
        }
#pragma warning disable CA1031 // Any reason Pottery could not connect is the check's answer.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Pottery could not connect to Redis: " + error.Message, error);
        }

        var timeout = redis.Options.HealthCheckTimeout;
        var answer = await LockQuorumHealthCheck.PingAsync(redis.Database, timeout, cancellationToken).ConfigureAwait(false);
        return answer.Error is null
            ? HealthCheckResult.Healthy($"Redis answered PING in {answer.Latency.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms.")
            : new HealthCheckResult(context.Registration.FailureStatus, "Redis " + answer.Problem, answer.Error);
    }
}

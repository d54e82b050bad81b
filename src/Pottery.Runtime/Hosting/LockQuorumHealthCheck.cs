using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Asks every one of <see cref="PotteryRedis.LockMasters"/> for <c>PING</c> at once: Healthy when all
/// answer within <see cref="PotteryOptions.HealthCheckTimeout"/>, Degraded when some do not but a quorum
/// does (locks still work, with less to spare), the registration's failure status otherwise.
/// </summary>
internal sealed class LockQuorumHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (redis, failure) = HealthPing.Resolve(services, context, "its lock masters");
        if (redis is null)
        {
            return failure;
        }

        var masters = redis.LockMasters;
        var timeout = redis.Options.HealthCheckTimeout;
        var answers = await Task.WhenAll(masters.Select(master => HealthPing.PingAsync(master, timeout, cancellationToken))).ConfigureAwait(false);
        var failures = new List<string>();
        Exception? firstError = null;
        for (var i = 0; i < answers.Length; i++)
        {
            if (answers[i].Error is { } error)
            {
                failures.Add($"master {i.ToString(CultureInfo.InvariantCulture)} ({Endpoints(masters[i])}) {answers[i].Problem}");
                firstError ??= error;
            }
        }

        var answered = masters.Count - failures.Count;
        var data = new Dictionary<string, object>
        {
            ["masters"] = masters.Count,
            ["answered"] = answered,
            ["quorum"] = redis.Quorum,
        };
        var summary = $"{answered.ToString(CultureInfo.InvariantCulture)} of {masters.Count.ToString(CultureInfo.InvariantCulture)} lock masters answered PING (quorum {redis.Quorum.ToString(CultureInfo.InvariantCulture)})";
        if (failures.Count == 0)
        {
            return HealthCheckResult.Healthy(summary + ".", data);
        }

        var details = summary + ": " + string.Join("; ", failures) + ".";
        return answered >= redis.Quorum
            ? HealthCheckResult.Degraded(details, firstError, data)
            : new HealthCheckResult(context.Registration.FailureStatus, details, firstError, data);
    }

    private static string Endpoints(IDatabase database) =>
        string.Join(",", database.Multiplexer.GetEndPoints().Select(endpoint => endpoint.ToString()));
}

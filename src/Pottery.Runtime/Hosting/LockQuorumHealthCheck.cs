using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
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
            return new HealthCheckResult(context.Registration.FailureStatus, "Pottery could not connect to its lock masters: " + error.Message, error);
        }

        var masters = redis.LockMasters;
        var timeout = redis.Options.HealthCheckTimeout;
        var answers = await Task.WhenAll(masters.Select(master => PingAsync(master, timeout, cancellationToken))).ConfigureAwait(false);
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

    /// <summary>PINGs <paramref name="database"/>'s server, waiting at most <paramref name="timeout"/>.</summary>
    internal static async Task<Answer> PingAsync(IDatabase database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var latency = await database.PingAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return new Answer(latency, null, string.Empty);
        }
        catch (TimeoutException error)
        {
            return new Answer(default, error, $"did not answer PING within {timeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return new Answer(default, error, "failed PING: " + error.Message);
        }
    }

    private static string Endpoints(IDatabase database) =>
        string.Join(",", database.Multiplexer.GetEndPoints().Select(endpoint => endpoint.ToString()));

    /// <summary>A PING's latency, or why there was none.</summary>
    internal readonly record struct Answer(TimeSpan Latency, Exception? Error, string Problem);
}

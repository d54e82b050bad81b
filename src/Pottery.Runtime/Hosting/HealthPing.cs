using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Pottery;

/// <summary>What Pottery's health checks share: resolving Pottery's connections, and a bounded PING.</summary>
internal static class HealthPing
{
    /// <summary>Pottery's view of Redis, or the failed result that says why it could not connect to <paramref name="what"/>.</summary>
    public static (PotteryRedis? Redis, HealthCheckResult Failure) Resolve(IServiceProvider services, HealthCheckContext context, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return (services.GetRequiredService<PotteryRedis>(), default);
        }
#pragma warning disable CA1031 // Any reason Pottery could not connect is the check's answer.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return (null, new HealthCheckResult(context.Registration.FailureStatus, $"Pottery could not connect to {what}: {error.Message}", error));
        }
    }

    /// <summary>PINGs <paramref name="database"/>'s server, waiting at most <paramref name="timeout"/>.</summary>
    public static async Task<Answer> PingAsync(IDatabase database, TimeSpan timeout, CancellationToken cancellationToken)
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

    /// <summary>A PING's latency, or why there was none.</summary>
    internal readonly record struct Answer(TimeSpan Latency, Exception? Error, string Problem);
}

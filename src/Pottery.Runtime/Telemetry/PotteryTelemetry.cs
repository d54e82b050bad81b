using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>
/// Where Pottery's logs, metrics and traces come from. Metrics come from a
/// <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/>, traces from an
/// <see cref="System.Diagnostics.ActivitySource"/> named <see cref="ActivitySourceName"/>; both cost a
/// field read per operation while nobody listens. Logs go to the factory given to
/// <see cref="UseLoggerFactory"/> (none until then).
/// </summary>
/// <example>
/// With OpenTelemetry:
/// <code>
/// builder.Services.AddOpenTelemetry()
///     .WithMetrics(metrics => metrics.AddMeter(PotteryTelemetry.MeterName))
///     .WithTracing(tracing => tracing.AddSource(PotteryTelemetry.ActivitySourceName));
/// </code>
/// </example>
public static class PotteryTelemetry
{
    /// <summary>The name of Pottery's meter, for <c>AddMeter</c> or a <see cref="System.Diagnostics.Metrics.MeterListener"/>.</summary>
    public const string MeterName = "Pottery";

    /// <summary>The name of Pottery's activity source, for <c>AddSource</c> or an <see cref="System.Diagnostics.ActivityListener"/>.</summary>
    public const string ActivitySourceName = "Pottery";

    /// <summary>
    /// Sends Pottery's log events to loggers from <paramref name="loggerFactory"/>, in the categories
    /// <c>Pottery.Locking</c>, <c>Pottery.Queues</c>, <c>Pottery.Messaging</c>, <c>Pottery.Caching</c> and <c>Pottery.Ids</c>.
    /// The process has one factory at a time: a later call replaces an earlier one. Host integration
    /// calls this with the host's factory; without a call nothing is logged.
    /// </summary>
    /// <param name="loggerFactory">The factory; <see cref="Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance"/> turns logging off.</param>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is null.</exception>
    public static void UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        PotteryLogs.Use(loggerFactory);
    }
}

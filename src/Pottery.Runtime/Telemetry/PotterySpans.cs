using System.Diagnostics;

namespace Pottery;

/// <summary>
/// How every Pottery span starts and fails: from Pottery's one <see cref="ActivitySource"/>, with
/// <c>db.system.name</c> and <c>db.namespace</c>; a span that ends in an exception carries
/// <c>error.type</c> and status <see cref="ActivityStatusCode.Error"/>.
/// </summary>
internal static class PotterySpans
{
    /// <summary>Starts a span, or returns null while nobody listens. Add further tags only when <see cref="Activity.IsAllDataRequested"/>.</summary>
    /// <param name="name">The span's name.</param>
    /// <param name="kind">Its kind.</param>
    /// <param name="database">The Redis database number it works on.</param>
    /// <returns>The span, or null.</returns>
    public static Activity? Start(string name, ActivityKind kind, int database)
    {
        var span = PotteryInstruments.Source.StartActivity(name, kind);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TelemetryTags.DbSystemName, TelemetryTags.Redis);
            span.SetTag(TelemetryTags.DbNamespace, TelemetryTags.Namespace(database));
        }

        return span;
    }

    /// <summary>Marks <paramref name="span"/> as ended in <paramref name="error"/> (nothing while it is null).</summary>
    /// <param name="span">The span, or null.</param>
    /// <param name="error">The exception it ended in.</param>
    public static void Failed(Activity? span, Exception error)
    {
        if (span is not null)
        {
            span.SetTag(TelemetryTags.ErrorType, error.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error, error.Message);
        }
    }
}

using System.Diagnostics;

namespace Pottery;

/// <summary>
/// The spans of topics: <c>pottery.topic.publish</c> (kind <see cref="ActivityKind.Producer"/>)
/// around a publish, and <c>pottery.topic.receive</c> (kind <see cref="ActivityKind.Consumer"/>)
/// around a reliable topic's receive, waiting included. Started only while someone listens; no
/// trace context travels with a message, so a receive is not parented to its publish.
/// </summary>
internal static class TopicSpans
{
    /// <summary>Whether anyone listens to Pottery's spans (a field read).</summary>
    public static bool On => PotteryInstruments.Source.HasListeners();

    /// <summary>Starts the span of a publish to <paramref name="topic"/>, or null while nobody listens.</summary>
    public static Activity? Publish(string topic, int database) =>
        Start("pottery.topic.publish", ActivityKind.Producer, topic, database, null);

    /// <summary>Starts the span of a receive from <paramref name="topic"/> in <paramref name="group"/>, or null while nobody listens.</summary>
    public static Activity? Receive(string topic, int database, string group) =>
        Start("pottery.topic.receive", ActivityKind.Consumer, topic, database, group);

    /// <summary>Ends <paramref name="span"/>: with the message id it published or received (null: none), or with the error it ended in.</summary>
    public static void End(Activity? span, string? messageId, Exception? error = null)
    {
        if (span is null)
        {
            return;
        }

        if (messageId is not null)
        {
            span.SetTag(TelemetryTags.MessageId, messageId);
        }

        if (error is not null)
        {
            PotterySpans.Failed(span, error);
        }

        span.Dispose();
    }

    private static Activity? Start(string name, ActivityKind kind, string topic, int database, string? group)
    {
        var span = PotterySpans.Start(name, kind, database);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TelemetryTags.TopicName, topic);
            if (group is not null)
            {
                span.SetTag(TelemetryTags.TopicGroup, group);
            }
        }

        return span;
    }
}

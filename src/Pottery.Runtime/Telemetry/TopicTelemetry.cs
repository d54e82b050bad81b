namespace Pottery;

/// <summary>
/// What topics report: messages published and received (<see cref="RedisTopic{T}"/>), and for
/// <see cref="RedisReliableTopic{T}"/> deliveries, redeliveries, acknowledgements and dead letters.
/// Tagged by topic name, as queues are by queue name: topics are few and named in code.
/// </summary>
internal static class TopicTelemetry
{
    /// <summary>Counts a message published to the topic <paramref name="topic"/>.</summary>
    public static void Published(string topic)
    {
        if (PotteryInstruments.TopicPublished.Enabled)
        {
            PotteryInstruments.TopicPublished.Add(1, new KeyValuePair<string, object?>(TelemetryTags.TopicName, topic));
        }
    }

    /// <summary>Counts a message a subscription of the pub/sub topic <paramref name="topic"/> received.</summary>
    public static void Received(string topic)
    {
        if (PotteryInstruments.TopicReceived.Enabled)
        {
            PotteryInstruments.TopicReceived.Add(1, new KeyValuePair<string, object?>(TelemetryTags.TopicName, topic));
        }
    }

    /// <summary>Counts a delivery of a reliable topic's message to a consumer; one with <paramref name="deliveryCount"/> above 1 is a redelivery, also logged.</summary>
    public static void Delivered(RedisObject topic, string group, string messageId, int deliveryCount)
    {
        if (PotteryInstruments.TopicDelivered.Enabled)
        {
            PotteryInstruments.TopicDelivered.Add(1, new KeyValuePair<string, object?>(TelemetryTags.TopicName, topic.KeyName));
        }

        if (deliveryCount <= 1)
        {
            return;
        }

        if (PotteryInstruments.TopicRedeliveries.Enabled)
        {
            PotteryInstruments.TopicRedeliveries.Add(1, new KeyValuePair<string, object?>(TelemetryTags.TopicName, topic.KeyName));
        }

        if (PotteryLogs.On)
        {
            TopicLog.Redelivered(PotteryLogs.Messaging, messageId, topic.KeyName, group, deliveryCount);
        }
    }

    /// <summary>Counts an acknowledgement that finished a pending delivery, and returns <paramref name="acknowledged"/>.</summary>
    public static bool Acknowledged(RedisObject topic, bool acknowledged)
    {
        if (acknowledged && PotteryInstruments.TopicAcknowledged.Enabled)
        {
            PotteryInstruments.TopicAcknowledged.Add(1, new KeyValuePair<string, object?>(TelemetryTags.TopicName, topic.KeyName));
        }

        return acknowledged;
    }

    /// <summary>Counts and logs the messages a take moved to the dead-letter stream.</summary>
    public static void DeadLettered(RedisObject topic, string group, string[] messageIds, string deadLetterKey, int maxDeliveries)
    {
        if (messageIds.Length == 0)
        {
            return;
        }

        if (PotteryInstruments.TopicDeadLetters.Enabled)
        {
            PotteryInstruments.TopicDeadLetters.Add(messageIds.Length, new KeyValuePair<string, object?>(TelemetryTags.TopicName, topic.KeyName));
        }

        if (PotteryLogs.On)
        {
            foreach (var id in messageIds)
            {
                TopicLog.DeadLettered(PotteryLogs.Messaging, id, topic.KeyName, group, deadLetterKey, maxDeliveries);
            }
        }
    }
}

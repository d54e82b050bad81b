namespace Pottery;

/// <summary>What queues report besides dequeue calls (<see cref="QueueDequeueObservation"/>): redeliveries, dead letters, depth.</summary>
internal static class QueueTelemetry
{
    /// <summary>Reports an item handed out again (its delivery count is above 1).</summary>
    public static void Redelivered(RedisObject queue, string itemId, int deliveryCount)
    {
        if (PotteryInstruments.QueueRedeliveries.Enabled)
        {
            PotteryInstruments.QueueRedeliveries.Add(1, new KeyValuePair<string, object?>(TelemetryTags.QueueName, queue.KeyName));
        }

        if (PotteryLogs.On)
        {
            QueueLog.Redelivered(PotteryLogs.Queues, itemId, queue.KeyName, deliveryCount);
        }
    }

    /// <summary>Reports items a take moved to the dead-letter list.</summary>
    public static void DeadLettered(RedisObject queue, string[] itemIds, string deadLetterKey, int maxDeliveries)
    {
        if (PotteryInstruments.QueueDeadLetters.Enabled)
        {
            PotteryInstruments.QueueDeadLetters.Add(itemIds.Length, new KeyValuePair<string, object?>(TelemetryTags.QueueName, queue.KeyName));
        }

        if (PotteryLogs.On)
        {
            foreach (var id in itemIds)
            {
                QueueLog.DeadLettered(PotteryLogs.Queues, id, queue.KeyName, deadLetterKey, maxDeliveries);
            }
        }
    }

    /// <summary>Records how many items wait right after an enqueue stored one, as its command replied.</summary>
    public static void Depth(RedisObject queue, long waiting)
    {
        if (PotteryInstruments.QueueDepth.Enabled)
        {
            PotteryInstruments.QueueDepth.Record(waiting, new KeyValuePair<string, object?>(TelemetryTags.QueueName, queue.KeyName));
        }
    }
}

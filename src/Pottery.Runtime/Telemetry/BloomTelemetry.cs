namespace Pottery;

/// <summary>What Bloom filters report: elements added.</summary>
internal static class BloomTelemetry
{
    /// <summary>Counts <paramref name="elements"/> sent to be added to <paramref name="filter"/>.</summary>
    public static void Added(RedisObject filter, int elements)
    {
        if (PotteryInstruments.BloomAdds.Enabled)
        {
            PotteryInstruments.BloomAdds.Add(elements, new KeyValuePair<string, object?>(TelemetryTags.BloomName, filter.KeyName));
        }
    }
}

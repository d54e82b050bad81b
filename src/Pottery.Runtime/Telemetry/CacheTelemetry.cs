using System.Diagnostics;

namespace Pottery;

/// <summary>What memoized functions' caches report: hits, misses, single-flight waits, and the <c>pottery.cache.compute</c> span of a miss.</summary>
internal static class CacheTelemetry
{
    /// <summary>Counts a lookup answered from the cache.</summary>
    public static void Hit(RedisObject cache)
    {
        if (PotteryInstruments.CacheHits.Enabled)
        {
            PotteryInstruments.CacheHits.Add(1, new KeyValuePair<string, object?>(TelemetryTags.CacheName, cache.KeyName));
        }
    }

    /// <summary>Counts a lookup that computed its result.</summary>
    public static void Miss(RedisObject cache)
    {
        if (PotteryInstruments.CacheMisses.Enabled)
        {
            PotteryInstruments.CacheMisses.Add(1, new KeyValuePair<string, object?>(TelemetryTags.CacheName, cache.KeyName));
        }
    }

    /// <summary>Reports a miss that waited <paramref name="waited"/> for another computation of the same arguments and used its result.</summary>
    public static void SingleFlightWait(RedisObject cache, TimeSpan waited)
    {
        if (PotteryInstruments.CacheSingleFlightWaits.Enabled)
        {
            PotteryInstruments.CacheSingleFlightWaits.Add(1, new KeyValuePair<string, object?>(TelemetryTags.CacheName, cache.KeyName));
        }

        if (PotteryLogs.On)
        {
            CacheLog.SingleFlightWait(PotteryLogs.Caching, cache.KeyName, (long)waited.TotalMilliseconds);
        }
    }

    /// <summary>Starts the span of a miss (waiting for another computation included), or null while nobody listens.</summary>
    public static Activity? StartCompute(RedisObject cache)
    {
        if (!PotteryInstruments.Source.HasListeners())
        {
            return null;
        }

        var activity = PotterySpans.Start("pottery.cache.compute", ActivityKind.Client, cache.Database.Database);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.CacheName, cache.KeyName);
        }

        return activity;
    }

    /// <summary>Marks the span of a miss as failed.</summary>
    public static void Failed(Activity? activity, Exception error) => PotterySpans.Failed(activity, error);
}

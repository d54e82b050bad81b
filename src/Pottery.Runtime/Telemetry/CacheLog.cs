using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>The caches' log events (category <c>Pottery.Caching</c>, event ids 3001-3099; ids never change).</summary>
internal static partial class CacheLog
{
    /// <summary>A miss waited for another computation of the same arguments (single flight) and used its result.</summary>
    [LoggerMessage(EventId = 3001, EventName = "CacheSingleFlightWait", Level = LogLevel.Debug, Message = "A miss on the cache '{CacheName}' waited {WaitMilliseconds} ms for another computation of the same arguments and used its result.")]
    public static partial void SingleFlightWait(ILogger logger, string cacheName, long waitMilliseconds);
}

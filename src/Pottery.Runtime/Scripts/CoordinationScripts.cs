namespace Pottery;

/// <summary>Lua scripts of the coordination primitives (<see cref="RedisCountdownLatch"/>).</summary>
internal static class CoordinationScripts
{
    /// <summary>
    /// Counts latch KEYS[1] down by ARGV[2] from its count (ARGV[1], the initial count, while the key
    /// does not exist yet); returns the new count, or -1 without writing when the count is already 0
    /// or the signals would take it below 0.
    /// </summary>
    public static readonly RedisScript Signal = new("""
        local count = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
        local signals = tonumber(ARGV[2])
        if count == 0 or signals > count then
          return -1
        end
        count = count - signals
        redis.call('SET', KEYS[1], count)
        return count
        """);
}

namespace Pottery;

/// <summary>Lua scripts of the coordination primitives (<see cref="RedisCountdownLatch"/>, <see cref="RedisBarrier"/>).</summary>
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

    /// <summary>
    /// One participant arrives at barrier hash KEYS[1] (fields <c>phase</c> and <c>arrived</c>) of
    /// ARGV[1] participants: returns { phase it arrived in, 1 if it was the last, so the phase is over }.
    /// </summary>
    public static readonly RedisScript Arrive = new("""
        local phase = tonumber(redis.call('HGET', KEYS[1], 'phase') or '0')
        local arrived = redis.call('HINCRBY', KEYS[1], 'arrived', 1)
        if arrived >= tonumber(ARGV[1]) then
          redis.call('HSET', KEYS[1], 'phase', phase + 1, 'arrived', 0)
          return { phase, 1 }
        end
        return { phase, 0 }
        """);

    /// <summary>
    /// Takes back an arrival in phase ARGV[1] at barrier KEYS[1] if that phase is still going on;
    /// returns 1 when it was taken back, 0 when the phase was over already.
    /// </summary>
    public static readonly RedisScript Withdraw = new("""
        local phase = tonumber(redis.call('HGET', KEYS[1], 'phase') or '0')
        if phase ~= tonumber(ARGV[1]) then
          return 0
        end
        redis.call('HINCRBY', KEYS[1], 'arrived', -1)
        return 1
        """);
}

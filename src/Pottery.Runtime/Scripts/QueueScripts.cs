namespace Pottery;

/// <summary>
/// Lua scripts for the queue family: bounds are checked and items stored in one atomic step, and
/// whatever a waiter waits for is announced on <c>KEYS[1] .. suffix</c> (see <see cref="WakeUpChannel"/>).
/// </summary>
internal static class QueueScripts
{
    /// <summary>
    /// RPUSH ARGV[2] onto KEYS[1] unless it holds ARGV[1] (&gt; 0) items already; INCR KEYS[2] (if
    /// given) on success, and announce the item on KEYS[1] .. ARGV[3]. 1 stored, 0 full.
    /// </summary>
    public static readonly RedisScript Push = new("""
        local limit = tonumber(ARGV[1])
        if limit > 0 and redis.call('LLEN', KEYS[1]) >= limit then return 0 end
        redis.call('RPUSH', KEYS[1], ARGV[2])
        if KEYS[2] then redis.call('INCR', KEYS[2]) end
        redis.call('PUBLISH', KEYS[1] .. ARGV[3], '')
        return 1
        """);

    /// <summary>
    /// Adds ARGV[3] to sorted set KEYS[1] with priority ARGV[2] unless it holds ARGV[1] (&gt; 0) items,
    /// and announces it on KEYS[1] .. ARGV[4]. The member starts with a 20-digit sequence from KEYS[2]
    /// and the priority, so equal priorities leave in arrival order and equal items may repeat.
    /// 1 stored, 0 full.
    /// </summary>
    public static readonly RedisScript PriorityPush = new("""
        local limit = tonumber(ARGV[1])
        if limit > 0 and redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
        local sequence = redis.call('INCR', KEYS[2])
        redis.call('ZADD', KEYS[1], ARGV[2], string.format('%020d', sequence) .. ':' .. ARGV[2] .. ':' .. ARGV[3])
        redis.call('PUBLISH', KEYS[1] .. ARGV[4], '')
        return 1
        """);

    /// <summary>
    /// Acknowledges the oldest item of processing list KEYS[1]: DECR KEYS[2], and announce on
    /// KEYS[3] .. ARGV[1] when none is left unfinished. -1 when nothing was being processed.
    /// </summary>
    public static readonly RedisScript TaskDone = new("""
        if not redis.call('LPOP', KEYS[1]) then return -1 end
        local unfinished = redis.call('DECR', KEYS[2])
        if unfinished <= 0 then redis.call('PUBLISH', KEYS[3] .. ARGV[1], '') end
        return unfinished
        """);

    /// <summary>
    /// Moves every item of processing list KEYS[1] back to the front of queue KEYS[2], oldest first,
    /// announcing each on KEYS[2] .. ARGV[1] (one message wakes one getter); returns how many.
    /// </summary>
    public static readonly RedisScript Requeue = new("""
        local moved = 0
        while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT') do
            moved = moved + 1
            redis.call('PUBLISH', KEYS[2] .. ARGV[1], '')
        end
        return moved
        """);
}

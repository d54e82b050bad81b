namespace Pottery;

/// <summary>
/// Lua scripts over lists. Positions are resolved Python-style inside the script, so reading the
/// length and writing happen in one atomic step. Where an element must be found by position,
/// the script overwrites it with a caller-supplied random tombstone and addresses it by value.
/// </summary>
internal static class ListScripts
{
    /// <summary>
    /// Inserts ARGV[2] before position ARGV[1] (clamped like Python's <c>list.insert</c>); ARGV[3] is a
    /// tombstone; ARGV[4] the maximum length (-1: none). Returns the new length, or -1 when full.
    /// </summary>
    public static readonly RedisScript Insert = new("""
        local length = redis.call('LLEN', KEYS[1])
        local limit = tonumber(ARGV[4])
        if limit >= 0 and length >= limit then return -1 end
        local index = tonumber(ARGV[1])
        if index < 0 then index = math.max(index + length, 0) end
        if index >= length then return redis.call('RPUSH', KEYS[1], ARGV[2]) end
        if index == 0 then return redis.call('LPUSH', KEYS[1], ARGV[2]) end
        local original = redis.call('LINDEX', KEYS[1], index)
        redis.call('LSET', KEYS[1], index, ARGV[3])
        redis.call('LINSERT', KEYS[1], 'BEFORE', ARGV[3], ARGV[2])
        redis.call('LSET', KEYS[1], index + 1, original)
        return length + 1
        """);

    /// <summary>
    /// Removes and returns the element at ARGV[1] (negative counts from the end); ARGV[2] is a
    /// tombstone. Returns {1, element}, or {0, length} when the position is out of range.
    /// </summary>
    public static readonly RedisScript RemoveAt = new("""
        local length = redis.call('LLEN', KEYS[1])
        local index = tonumber(ARGV[1])
        if index < 0 then index = index + length end
        if index < 0 or index >= length then return { 0, length } end
        local element
        if index == 0 then
          element = redis.call('LPOP', KEYS[1])
        elseif index == length - 1 then
          element = redis.call('RPOP', KEYS[1])
        else
          element = redis.call('LINDEX', KEYS[1], index)
          redis.call('LSET', KEYS[1], index, ARGV[2])
          redis.call('LREM', KEYS[1], 1, ARGV[2])
        end
        return { 1, element }
        """);

    /// <summary>
    /// Pushes ARGV[3..] on side ARGV[1] (left|right), then keeps at most ARGV[2] elements, dropping
    /// from the other side; returns the length. With a limit of 0 every pushed element would be
    /// dropped at once, so nothing is pushed (LTRIM has no range for "none from the end").
    /// </summary>
    public static readonly RedisScript PushBounded = new("""
        local limit = tonumber(ARGV[2])
        if limit == 0 then return redis.call('LLEN', KEYS[1]) end
        for i = 3, #ARGV, 4000 do
          local last = math.min(i + 3999, #ARGV)
          if ARGV[1] == 'left' then
            redis.call('LPUSH', KEYS[1], unpack(ARGV, i, last))
          else
            redis.call('RPUSH', KEYS[1], unpack(ARGV, i, last))
          end
        end
        if ARGV[1] == 'left' then
          redis.call('LTRIM', KEYS[1], 0, limit - 1)
        else
          redis.call('LTRIM', KEYS[1], -limit, -1)
        end
        return redis.call('LLEN', KEYS[1])
        """);

    /// <summary>Rotates the list ARGV[1] steps to the right (negative: to the left), like <c>deque.rotate</c>.</summary>
    public static readonly RedisScript Rotate = new("""
        local length = redis.call('LLEN', KEYS[1])
        if length < 2 then return length end
        local steps = tonumber(ARGV[1]) % length
        if steps > length / 2 then
          for _ = 1, length - steps do redis.call('LMOVE', KEYS[1], KEYS[1], 'LEFT', 'RIGHT') end
        else
          for _ = 1, steps do redis.call('LMOVE', KEYS[1], KEYS[1], 'RIGHT', 'LEFT') end
        end
        return length
        """);

    /// <summary>Writes into KEYS[3] the elements of KEYS[1] followed by those of KEYS[2] (ARGV[1] = '0') or by ARGV[2..] (ARGV[1] = '1'); returns the new length.</summary>
    public static readonly RedisScript Concat = new("""
        local function append(items, from)
          for i = from, #items, 4000 do
            redis.call('RPUSH', KEYS[3], unpack(items, i, math.min(i + 3999, #items)))
          end
        end
        redis.call('DEL', KEYS[3])
        append(redis.call('LRANGE', KEYS[1], 0, -1), 1)
        if ARGV[1] == '1' then append(ARGV, 2) else append(redis.call('LRANGE', KEYS[2], 0, -1), 1) end
        return redis.call('LLEN', KEYS[3])
        """);

    /// <summary>1 when lists KEYS[1] and KEYS[2] hold the same elements in the same order, else 0.</summary>
    public static readonly RedisScript ContentEquals = new("""
        if redis.call('LLEN', KEYS[1]) ~= redis.call('LLEN', KEYS[2]) then return 0 end
        local a, b = redis.call('LRANGE', KEYS[1], 0, -1), redis.call('LRANGE', KEYS[2], 0, -1)
        for i = 1, #a do if a[i] ~= b[i] then return 0 end end
        return 1
        """);
}

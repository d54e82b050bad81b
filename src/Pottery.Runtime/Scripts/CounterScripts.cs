namespace Pottery;

/// <summary>Lua scripts for counters (hashes of integer counts).</summary>
internal static class CounterScripts
{
    /// <summary>HINCRBY KEYS[1] for each field/amount pair in ARGV; one round trip for any number of updates.</summary>
    public static readonly RedisScript IncrementMany = new("""
        for i = 1, #ARGV, 2 do
          redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        return redis.call('HLEN', KEYS[1])
        """);

    /// <summary>
    /// Writes into KEYS[3] the multiset combination (ARGV[1]: + - | &amp;) of counter KEYS[1] with
    /// counter KEYS[2], or (ARGV[2] = '1') with the field/count pairs ARGV[3..]; keeps only positive
    /// counts, as Python's Counter operators do. Returns the number of fields written.
    /// </summary>
    public static readonly RedisScript Combine = new("""
        local function read(key)
          local counts, flat = {}, redis.call('HGETALL', key)
          for i = 1, #flat, 2 do counts[flat[i]] = tonumber(flat[i + 1]) end
          return counts
        end
        local left, right = read(KEYS[1]), {}
        if ARGV[2] == '1' then
          for i = 3, #ARGV, 2 do right[ARGV[i]] = (right[ARGV[i]] or 0) + tonumber(ARGV[i + 1]) end
        else
          right = read(KEYS[2])
        end
        local fields, result = {}, {}
        for field in pairs(left) do fields[field] = true end
        for field in pairs(right) do fields[field] = true end
        local op = ARGV[1]
        for field in pairs(fields) do
          local a, b = left[field] or 0, right[field] or 0
          local count
          if op == '+' then count = a + b
          elseif op == '-' then count = a - b
          elseif op == '|' then count = math.max(a, b)
          else count = math.min(a, b) end
          if count > 0 then
            result[#result + 1] = field
            result[#result + 1] = string.format('%d', count)
          end
        end
        redis.call('DEL', KEYS[3])
        for i = 1, #result, 4000 do
          redis.call('HSET', KEYS[3], unpack(result, i, math.min(i + 3999, #result)))
        end
        return #result / 2
        """);
}

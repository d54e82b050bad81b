namespace Pottery;

/// <summary>Lua scripts over hashes (dicts and counters).</summary>
internal static class HashScripts
{
    /// <summary>1 when hashes KEYS[1] and KEYS[2] hold the same fields with the same bytes, else 0.</summary>
    public static readonly RedisScript ContentEquals = new("""
        if redis.call('HLEN', KEYS[1]) ~= redis.call('HLEN', KEYS[2]) then return 0 end
        local entries = redis.call('HGETALL', KEYS[1])
        for i = 1, #entries, 2 do
          if redis.call('HGET', KEYS[2], entries[i]) ~= entries[i + 1] then return 0 end
        end
        return 1
        """);

    /// <summary>The values of fields ARGV of hash KEYS[1] (false where missing), or false when the hash does not exist.</summary>
    public static readonly RedisScript GetIfExists = new("""
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        if #ARGV == 0 then return {} end
        return redis.call('HMGET', KEYS[1], unpack(ARGV))
        """);

    /// <summary>Deletes field ARGV[1] of KEYS[1] only if it holds ARGV[2]; 1 when deleted.</summary>
    public static readonly RedisScript RemoveIfEqual = new("""
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
          return redis.call('HDEL', KEYS[1], ARGV[1])
        end
        return 0
        """);
}

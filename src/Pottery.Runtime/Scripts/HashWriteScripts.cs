namespace Pottery;

/// <summary>Lua scripts that write hashes and renew their time to live: <see cref="GeneratedHash"/>, <see cref="RedisCache"/>, <see cref="CachedOrderedDict{TKey, TValue}"/>.</summary>
internal static class HashWriteScripts
{
    /// <summary>
    /// One atomic write to hash KEYS[1]: ARGV[1] is the time to live in ms ('' to leave it),
    /// ARGV[2] the number n of fields to delete, ARGV[3…2+n] those fields, the rest field/value pairs to set.
    /// </summary>
    public static readonly RedisScript Save = new("""
        local removed = tonumber(ARGV[2])
        if removed > 0 then
          redis.call('HDEL', KEYS[1], unpack(ARGV, 3, 2 + removed))
        end
        if #ARGV > 2 + removed then
          redis.call('HSET', KEYS[1], unpack(ARGV, 3 + removed))
        end
        if ARGV[1] ~= '' then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        return 1
        """);

    /// <summary>
    /// HINCRBY (ARGV[4] = 'i') or HINCRBYFLOAT (ARGV[4] = 'f') of field ARGV[2] of hash KEYS[1] by ARGV[3],
    /// then sets the time to live to ARGV[1] ms; returns the new value (as a string for floats, whose
    /// Lua number would lose digits). An increment Redis refuses fails the script with Redis' own
    /// error, unchanged, so it is translated as the bare command's would be; nothing is written then.
    /// </summary>
    public static readonly RedisScript IncrementAndExpire = new("""
        local value
        if ARGV[4] == 'f' then
          value = redis.pcall('HINCRBYFLOAT', KEYS[1], ARGV[2], ARGV[3])
        else
          value = redis.pcall('HINCRBY', KEYS[1], ARGV[2], ARGV[3])
        end
        if type(value) == 'table' and value.err then return value end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return value
        """);
}

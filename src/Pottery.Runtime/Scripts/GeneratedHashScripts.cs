namespace Pottery;

/// <summary>Lua scripts of <see cref="GeneratedHash"/>.</summary>
internal static class GeneratedHashScripts
{
    /// <summary>
    /// One atomic snapshot write to hash KEYS[1]: ARGV[1] is the time to live in ms ('' to leave it),
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
}

namespace Pottery;

/// <summary>
/// Lua scripts of <see cref="RedisDistributedCache"/>: an entry is a hash with the fields <c>data</c>,
/// <c>sliding</c> (the sliding expiration in ms, when there is one) and <c>absolute</c> (the absolute
/// expiration in Unix ms, when there is one), and the key's time to live is the sooner of the two.
/// </summary>
internal static class DistributedCacheScripts
{
    /// <summary>
    /// Reads entry KEYS[1] and slides its expiration: ARGV[1] is the caller's clock in Unix ms, ARGV[2]
    /// '1' to return the data or '0' to return only whether the entry exists (a refresh). Returns nil
    /// when there is no entry.
    /// </summary>
    public static readonly RedisScript Get = new("""
        local entry = redis.call('HMGET', KEYS[1], 'data', 'sliding', 'absolute')
        if not entry[1] then
          return false
        end
        if entry[2] then
          local ttl = tonumber(entry[2])
          if entry[3] then
            local left = tonumber(entry[3]) - tonumber(ARGV[1])
            if left < ttl then
              ttl = left
            end
          end
          if ttl > 0 then
            redis.call('PEXPIRE', KEYS[1], ttl)
          end
        end
        if ARGV[2] == '1' then
          return entry[1]
        end
        return 1
        """);

    /// <summary>
    /// Replaces entry KEYS[1]: ARGV[1] is the data, ARGV[2] the sliding expiration in ms ('' for none),
    /// ARGV[3] the absolute expiration in Unix ms ('' for none), ARGV[4] the time to live in ms ('' for none).
    /// </summary>
    public static readonly RedisScript Set = new("""
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'data', ARGV[1])
        if ARGV[2] ~= '' then
          redis.call('HSET', KEYS[1], 'sliding', ARGV[2])
        end
        if ARGV[3] ~= '' then
          redis.call('HSET', KEYS[1], 'absolute', ARGV[3])
        end
        if ARGV[4] ~= '' then
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
        end
        return 1
        """);
}

namespace Pottery;

/// <summary>Lua scripts of <see cref="RedisCache"/> and <see cref="CachedOrderedDict{TKey, TValue}"/>.</summary>
internal static class CacheScripts
{
    /// <summary>HSETs the field/value pairs ARGV[2…] into KEYS[1], then sets its time to live to ARGV[1] ms unless ARGV[1] is empty.</summary>
    public static readonly RedisScript Store = new("""
        redis.call('HSET', KEYS[1], unpack(ARGV, 2))
        if ARGV[1] ~= '' then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        return 1
        """);
}

namespace Pottery;

/// <summary>
/// Lua scripts of the Redlock protocol, run on each master. KEYS[1] is <c>redlock:&lt;key&gt;</c>
/// (pottery's name, so pottery and Pottery for .NET exclude each other), KEYS[2] the fencing
/// counter next to it; ARGV[1] the acquisition's random token. Only the token's owner can extend
/// or release. (The acquire is two plain commands, not a script: see <c>RedlockAttempt</c>.)
/// </summary>
internal static class RedlockScripts
{
    /// <summary>Raises the fencing counter to at least ARGV[1]; 1 once it is there.</summary>
    public static readonly RedisScript RaiseFence = new("""
        if (tonumber(redis.call('GET', KEYS[2])) or 0) < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[2], ARGV[1])
        end
        return 1
        """);

    /// <summary>
    /// Deletes the lock if the token holds it and announces it on the channel named KEYS[1] .. ARGV[2]
    /// (the key as the server sees it, key prefix included, then <c>:released</c>) unless ARGV[2] is
    /// empty; 1 when released.
    /// </summary>
    public static readonly RedisScript Release = new("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1])
          if ARGV[2] ~= '' then
            redis.call('PUBLISH', KEYS[1] .. ARGV[2], '')
          end
          return 1
        end
        return 0
        """);

    /// <summary>Resets the lock's time to live to ARGV[2] ms if the token holds it; 1 when extended.</summary>
    public static readonly RedisScript Extend = new("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """);

    /// <summary>The lock's remaining milliseconds if the token (ARGV[1], or any holder when empty) holds it, else 0.</summary>
    public static readonly RedisScript Remaining = new("""
        local holder = redis.call('GET', KEYS[1])
        if holder and (ARGV[1] == '' or holder == ARGV[1]) then
          return math.max(redis.call('PTTL', KEYS[1]), 0)
        end
        return 0
        """);
}

namespace Pottery;

/// <summary>
/// Lua scripts for set algebra. Each takes the set as KEYS[1] and the other operand as KEYS[2]:
/// either another set, or (when ARGV says so) a temporary key in the same slot that the script
/// fills from ARGV, uses and deletes, so algebra with in-memory items is one round trip too.
/// </summary>
internal static class SetScripts
{
    // Shared prologue: load(key, from) adds ARGV[from..] to key in chunks small enough for unpack.
    private const string Load = """
        local function load(key, from)
          for i = from, #ARGV, 4000 do
            redis.call('SADD', key, unpack(ARGV, i, math.min(i + 3999, #ARGV)))
          end
        end
        """;

    /// <summary>ARGV[1] = union|inter|diff|symdiff, ARGV[2] = '1' when KEYS[2] is a temporary filled from ARGV[3..]; returns the members.</summary>
    public static readonly RedisScript Combine = new(Load + "\n" + """
        local op, temporary = ARGV[1], ARGV[2] == '1'
        if temporary then load(KEYS[2], 3) end
        local result
        if op == 'union' then
          result = redis.call('SUNION', KEYS[1], KEYS[2])
        elseif op == 'inter' then
          result = redis.call('SINTER', KEYS[1], KEYS[2])
        elseif op == 'diff' then
          result = redis.call('SDIFF', KEYS[1], KEYS[2])
        else
          result = redis.call('SDIFF', KEYS[1], KEYS[2])
          for _, member in ipairs(redis.call('SDIFF', KEYS[2], KEYS[1])) do result[#result + 1] = member end
        end
        if temporary then redis.call('DEL', KEYS[2]) end
        return result
        """);

    /// <summary>As <see cref="Combine"/>, but stores the result in KEYS[1]; returns its new cardinality.</summary>
    public static readonly RedisScript CombineInPlace = new(Load + "\n" + """
        local op, temporary = ARGV[1], ARGV[2] == '1'
        if temporary then load(KEYS[2], 3) end
        if op == 'union' then
          redis.call('SUNIONSTORE', KEYS[1], KEYS[1], KEYS[2])
        elseif op == 'inter' then
          redis.call('SINTERSTORE', KEYS[1], KEYS[1], KEYS[2])
        elseif op == 'diff' then
          redis.call('SDIFFSTORE', KEYS[1], KEYS[1], KEYS[2])
        else
          local onlyOther = redis.call('SDIFF', KEYS[2], KEYS[1])
          redis.call('SDIFFSTORE', KEYS[1], KEYS[1], KEYS[2])
          for i = 1, #onlyOther, 4000 do
            redis.call('SADD', KEYS[1], unpack(onlyOther, i, math.min(i + 3999, #onlyOther)))
          end
        end
        if temporary then redis.call('DEL', KEYS[2]) end
        return redis.call('SCARD', KEYS[1])
        """);

    /// <summary>ARGV[1] = '1' when KEYS[2] is a temporary filled from ARGV[2..]; returns {|A|, |B|, |A ∩ B|}.</summary>
    public static readonly RedisScript Compare = new(Load + "\n" + """
        local temporary = ARGV[1] == '1'
        if temporary then load(KEYS[2], 2) end
        local result = { redis.call('SCARD', KEYS[1]), redis.call('SCARD', KEYS[2]), redis.call('SINTERCARD', 2, KEYS[1], KEYS[2]) }
        if temporary then redis.call('DEL', KEYS[2]) end
        return result
        """);
}

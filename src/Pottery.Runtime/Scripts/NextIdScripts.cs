namespace Pottery;

/// <summary>The script by which each master issues IDs, so a quorum of masters can agree on one.</summary>
internal static class NextIdScripts
{
    /// <summary>
    /// Issues this master's next ID in KEYS[1] and returns it (as a string, exact in 64 bits):
    /// ARGV[1] when it is above the stored value (missing = 0), else the stored value + 1. Each
    /// master issues a value at most once, so two generators can never both win a quorum for the
    /// same ID; and a master never refuses, so generators drawing at once from one master all succeed.
    /// </summary>
    public static readonly RedisScript Propose = new("""
        local current = redis.call('GET', KEYS[1])
        if not current or tonumber(ARGV[1]) > tonumber(current) then
          redis.call('SET', KEYS[1], ARGV[1])
          return ARGV[1]
        end
        redis.call('INCR', KEYS[1])
        return redis.call('GET', KEYS[1])
        """);

    /// <summary>Forgets the sequence in KEYS[1] on this master; replies 1, so a round counts the masters that did.</summary>
    public static readonly RedisScript Reset = new("""
        redis.call('DEL', KEYS[1])
        return 1
        """);
}

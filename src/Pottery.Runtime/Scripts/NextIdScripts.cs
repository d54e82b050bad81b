namespace Pottery;

/// <summary>The compare-and-set that lets a quorum of masters agree on an ID.</summary>
internal static class NextIdScripts
{
    /// <summary>
    /// Stores ARGV[1] in KEYS[1] if it is greater than the stored value (missing = 0): returns
    /// {1, ARGV[1]} when stored, else {0, stored}. A value is accepted at most once per master,
    /// so two generators can never both win a quorum for the same ID.
    /// </summary>
    public static readonly RedisScript Propose = new("""
        local current = tonumber(redis.call('GET', KEYS[1])) or 0
        local proposed = tonumber(ARGV[1])
        if proposed > current then
          redis.call('SET', KEYS[1], ARGV[1])
          return { 1, ARGV[1] }
        end
        return { 0, tostring(current) }
        """);
}

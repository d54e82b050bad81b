namespace Pottery;

/// <summary>Lua scripts of <see cref="HyperLogLog{T}"/>.</summary>
internal static class HyperLogLogScripts
{
    /// <summary>
    /// pottery's membership trick, atomically and for many elements at once: for each element ARGV[i],
    /// copy the HyperLogLog KEYS[1] to the scratch key KEYS[2] and PFADD the element there; an
    /// unchanged copy means the element was (probably) seen. The scratch key is deleted. Returns 1/0 per element.
    /// </summary>
    public static readonly RedisScript ContainsMany = new("""
        local hll = redis.call('GET', KEYS[1])
        local answers = {}
        for i, element in ipairs(ARGV) do
          if hll then
            redis.call('SET', KEYS[2], hll)
          else
            redis.call('DEL', KEYS[2])
          end
          answers[i] = 1 - redis.call('PFADD', KEYS[2], element)
        end
        redis.call('DEL', KEYS[2])
        return answers
        """);

    /// <summary>
    /// Merges HyperLogLogs copied from elsewhere (ARGV, their raw bytes) and the same-slot
    /// HyperLogLogs KEYS[3…] into KEYS[1], using the scratch key KEYS[2], which is deleted.
    /// </summary>
    public static readonly RedisScript MergeCopies = new("""
        for _, copy in ipairs(ARGV) do
          redis.call('SET', KEYS[2], copy)
          redis.call('PFMERGE', KEYS[1], KEYS[2])
        end
        redis.call('DEL', KEYS[2])
        redis.call('PFMERGE', KEYS[1], unpack(KEYS, 3))
        return 1
        """);
}

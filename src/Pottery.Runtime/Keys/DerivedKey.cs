using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Names of the helper keys a structure keeps next to its own (a queue's processing lists, a
/// counter of unfinished tasks): <c>{&lt;key&gt;}:&lt;suffix&gt;</c>, in the structure's hash slot so
/// scripts can use both on Redis Cluster.
/// </summary>
public static class DerivedKey
{
    /// <summary>The helper key <paramref name="suffix"/> of <paramref name="key"/>.</summary>
    /// <param name="key">The structure's key.</param>
    /// <param name="suffix">What the helper key holds, e.g. <c>processing:worker-1</c>.</param>
    /// <returns>A key in <paramref name="key"/>'s hash slot.</returns>
    public static RedisKey For(RedisKey key, string suffix) => $"{{{TemporaryKey.SameSlotTag(key)}}}:{suffix}";
}

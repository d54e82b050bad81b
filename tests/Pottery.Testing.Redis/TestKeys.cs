using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// Key names no other test uses, so test classes that share a server can run in parallel.
/// </summary>
public static class TestKeys
{
    /// <summary>A key unique to this call, readable in <c>redis-cli</c>: <c>test:&lt;caller&gt;:&lt;name&gt;:&lt;guid&gt;</c>.</summary>
    /// <param name="name">What the key is for.</param>
    /// <param name="caller">The calling test method (filled in by the compiler).</param>
    /// <returns>A fresh key.</returns>
    public static RedisKey Unique(string name = "key", [CallerMemberName] string caller = "") =>
        $"test:{caller}:{name}:{Guid.NewGuid():N}";

    /// <summary>
    /// A hash tag unique to this call, <c>{&lt;guid&gt;}</c>: keys whose names contain it share one hash slot on
    /// Redis Cluster, so one script may use them together (pass it in <see cref="Unique"/>'s name).
    /// </summary>
    /// <returns>The tag, braces included.</returns>
    public static string SlotTag() => "{" + Guid.NewGuid().ToString("N") + "}";
}

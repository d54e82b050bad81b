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
}

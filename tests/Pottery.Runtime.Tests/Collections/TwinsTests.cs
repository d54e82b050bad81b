using System.Reflection;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Collections;

/// <summary>
/// The contract on the collections, caches and probabilistic structures: async members return
/// <see cref="ValueTask"/>, end in Async and take <c>CancellationToken cancellationToken = default</c>
/// last, and every operation has both forms.
/// </summary>
public sealed class TwinsTests
{
    public static TheoryData<Type> Types() =>
    [
        typeof(RedisDict<,>), typeof(RedisSet<>), typeof(RedisList<>), typeof(RedisDeque<>), typeof(RedisCounter<>),
        typeof(RedisCache), typeof(MemoizedFunction<,>), typeof(CachedOrderedDict<,>), typeof(BloomFilter<>), typeof(HyperLogLog<>),
    ];

    // Members without I/O, whose twins would be pointless; AsAsyncEnumerable is GetEnumerator's twin.
    private static readonly HashSet<string> WithoutIo = ["BitOffsets", "Memoize", "GetType", "ToString", "Equals", "GetHashCode", "AsAsyncEnumerable"];

    // A CachedOrderedDict answers reads from what it loaded.
    private static readonly HashSet<string> InMemory = ["ContainsKey", "TryGetValue", "GetEnumerator"];

    [Theory]
    [MemberData(nameof(Types))]
    public void Async_members_return_ValueTask_and_take_a_cancellation_token_last(Type type) => Assert.Empty(AsyncContract.AsyncMemberViolations(type));

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_operation_has_a_sync_and_an_async_form(Type type)
    {
        var methods = Methods(type).Select(method => method.Name).ToHashSet();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(property => property.Name).ToHashSet();
        var hasIndexer = type.GetProperties().Any(property => property.GetIndexParameters().Length > 0);
        var hasConstructorWithItems = type.GetConstructors().Any(constructor => constructor.GetParameters().Any(parameter => parameter.Name is "items" or "keys"));

        foreach (var name in methods.Where(name => name.EndsWith("Async", StringComparison.Ordinal)))
        {
            var sync = name[..^"Async".Length];
            var twinned = methods.Contains(sync) || properties.Contains(sync)
                || (sync is "Get" or "Set" && hasIndexer)
                || (sync == "Create" && hasConstructorWithItems)
                || (sync == "Dispose");
            Assert.True(twinned, $"{type.Name}.{name} has no sync twin");
        }

        foreach (var name in methods.Where(name => !name.EndsWith("Async", StringComparison.Ordinal) && !name.StartsWith("op_", StringComparison.Ordinal) && !WithoutIo.Contains(name) && !(type == typeof(CachedOrderedDict<,>) && InMemory.Contains(name))))
        {
            var twinned = methods.Contains(name + "Async") || name == "GetEnumerator" && methods.Contains("AsAsyncEnumerable");
            Assert.True(twinned, $"{type.Name}.{name} has no async twin");
        }
    }

    private static IEnumerable<MethodInfo> Methods(Type type) => AsyncContract.PublicMethods(type);
}

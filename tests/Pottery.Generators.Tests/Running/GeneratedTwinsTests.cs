using System.Reflection;
using Pottery.Testing.Redis;

namespace Pottery.Generators.Tests.Running;

/// <summary>
/// The contract on generated types, as the runtime's TwinsTests checks it on the runtime's: async
/// members return <see cref="ValueTask"/> and take <c>CancellationToken cancellationToken = default</c>
/// last, and every operation has both forms. A <c>[RedisDict]</c> property is the sync twin of its
/// <c>Get…Async</c> and <c>Set…Async</c>.
/// </summary>
public sealed class GeneratedTwinsTests
{
    public static TheoryData<Type> Types() =>
    [
        typeof(UserProfile), typeof(Session), typeof(Customer), // [RedisDict]
        typeof(Tel), typeof(Pins), // [RedisDict<TKey, TValue>]
        typeof(Dilberts), typeof(SeenPoints), // [RedisBloom<T>]
    ];

    // Members without I/O; AsAsyncEnumerable is GetEnumerator's twin.
    private static readonly HashSet<string> WithoutIo = ["GetType", "ToString", "Equals", "GetHashCode", "AsAsyncEnumerable"];

    [Theory]
    [MemberData(nameof(Types))]
    public void Async_members_return_ValueTask_and_take_a_cancellation_token_last(Type type) => Assert.Empty(AsyncContract.AsyncMemberViolations(type));

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_operation_has_a_sync_and_an_async_form(Type type)
    {
        var methods = Methods(type).ToList();
        var names = methods.Select(method => method.Name).ToHashSet();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).ToDictionary(property => property.Name, property => property.CanWrite);
        var hasIndexer = type.GetProperties().Any(property => property.GetIndexParameters().Length > 0);
        var hasConstructorWithItems = type.GetConstructors().Any(constructor => constructor.GetParameters().Any(parameter => parameter.Name == "items"));

        foreach (var method in methods.Where(method => method.Name.EndsWith("Async", StringComparison.Ordinal)))
        {
            var sync = method.Name[..^"Async".Length];
            var twinned = Twin(methods, method, sync) is not null || properties.ContainsKey(sync)
                || (sync.StartsWith("Get", StringComparison.Ordinal) && properties.ContainsKey(sync[3..]))
                || (sync.StartsWith("Set", StringComparison.Ordinal) && properties.GetValueOrDefault(sync[3..]))
                || (sync is "Get" or "Set" && hasIndexer)
                || (sync == "Create" && hasConstructorWithItems)
                || sync == "Dispose";
            Assert.True(twinned, $"{type.Name}.{method.Name} has no sync twin");
        }

        foreach (var method in methods.Where(method => !method.Name.EndsWith("Async", StringComparison.Ordinal) && !method.Name.StartsWith("op_", StringComparison.Ordinal) && !WithoutIo.Contains(method.Name)))
        {
            var twinned = Twin(methods, method, method.Name + "Async") is not null || (method.Name == "GetEnumerator" && names.Contains("AsAsyncEnumerable"));
            Assert.True(twinned, $"{type.Name}.{method.Name} has no async twin");
        }
    }

    [Fact]
    public void A_RedisDict_property_is_the_twin_of_its_Get_and_Set_methods()
    {
        var stored = typeof(UserProfile).GetProperties().Where(property => property.CanWrite).Select(property => property.Name).ToList();
        Assert.Equal(["Name", "Visits", "Email", "Score", "Referrals", "Tier"], stored);
        foreach (var name in stored)
        {
            Assert.NotNull(typeof(UserProfile).GetMethod($"Get{name}Async"));
            Assert.NotNull(typeof(UserProfile).GetMethod($"Set{name}Async"));
        }
    }

    // The twin takes the same parameters, less the cancellation token and the out parameters a sync Try… method has where its twin returns a tuple.
    private static MethodInfo? Twin(IEnumerable<MethodInfo> methods, MethodInfo method, string name) =>
        methods.FirstOrDefault(candidate => candidate.Name == name && Inputs(candidate).SequenceEqual(Inputs(method)));

    private static IEnumerable<Type> Inputs(MethodInfo method) =>
        method.GetParameters().Where(parameter => !parameter.IsOut && parameter.ParameterType != typeof(CancellationToken)).Select(parameter => parameter.ParameterType);

    private static IEnumerable<MethodInfo> Methods(Type type) => AsyncContract.PublicMethods(type);
}

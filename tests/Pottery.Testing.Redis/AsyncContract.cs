using System.Reflection;

namespace Pottery.Testing.Redis;

/// <summary>The async half of the API contract (docs/architecture.md), checked by reflection on runtime and generated types alike.</summary>
public static class AsyncContract
{
    /// <summary>
    /// What breaks the rule that every public async member of <paramref name="type"/> returns <see cref="ValueTask"/>
    /// or <see cref="ValueTask{TResult}"/> and takes <c>CancellationToken cancellationToken = default</c>
    /// last, and that the type does not implement <see cref="IAsyncEnumerable{T}"/> (which would make LINQ ambiguous on .NET 10).
    /// </summary>
    /// <param name="type">The type.</param>
    /// <returns>One line per violation; none when the type keeps the rule.</returns>
    public static IEnumerable<string> AsyncMemberViolations(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var method in PublicMethods(type).Where(method => method.Name.EndsWith("Async", StringComparison.Ordinal) && method.Name != "DisposeAsync"))
        {
            var returns = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericTypeDefinition() : method.ReturnType;
            if (returns != typeof(ValueTask) && returns != typeof(ValueTask<>))
            {
                yield return $"{type.Name}.{method.Name} returns {method.ReturnType.Name}";
            }

            var last = method.GetParameters()[^1];
            if (last.ParameterType != typeof(CancellationToken) || last.Name != "cancellationToken" || !last.HasDefaultValue)
            {
                yield return $"{type.Name}.{method.Name} does not take cancellationToken = default last";
            }
        }

        if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)))
        {
            yield return $"{type.Name} implements IAsyncEnumerable<T>";
        }
    }

    /// <summary>The public methods a caller sees, without property accessors and <see cref="object"/>'s own.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The methods.</returns>
    public static IEnumerable<MethodInfo> PublicMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(method => !method.IsSpecialName && method.DeclaringType != typeof(object));
}

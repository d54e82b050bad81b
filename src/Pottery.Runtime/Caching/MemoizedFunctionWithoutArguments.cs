namespace Pottery;

/// <summary>Calls of memoized functions that take no arguments, without passing an empty tuple.</summary>
public static class MemoizedFunctionWithoutArguments
{
    /// <summary>The cached result, computed and cached on a miss.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="function">The memoized function.</param>
    /// <returns>The result.</returns>
    public static TResult Invoke<TResult>(this MemoizedFunction<ValueTuple, TResult> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.Invoke(default);
    }

    /// <summary>The cached result, computed and cached on a miss.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="function">The memoized function.</param>
    /// <param name="cancellationToken">Stops waiting; passed to the function.</param>
    /// <returns>The result.</returns>
    public static ValueTask<TResult> InvokeAsync<TResult>(this MemoizedFunction<ValueTuple, TResult> function, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.InvokeAsync(default, cancellationToken);
    }
}

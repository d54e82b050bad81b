namespace Pottery.Benchmarks.Paired;

/// <summary>
/// A benchmark method called n times in one loop, awaiting each call directly: no wrapper per call,
/// so a method returning a pooled <see cref="ValueTask{TResult}"/> is measured as a caller awaits it.
/// </summary>
internal static class Loops
{
    public static Func<int, Task> Of(Func<Task> call) => async n =>
    {
        for (var i = 0; i < n; i++)
        {
            await call();
        }
    };

    public static Func<int, Task> Of<T>(Func<Task<T>> call) => async n =>
    {
        for (var i = 0; i < n; i++)
        {
            await call();
        }
    };

    public static Func<int, Task> Of(Func<ValueTask> call) => async n =>
    {
        for (var i = 0; i < n; i++)
        {
            await call();
        }
    };

    public static Func<int, Task> Of<T>(Func<ValueTask<T>> call) => async n =>
    {
        for (var i = 0; i < n; i++)
        {
            await call();
        }
    };
}

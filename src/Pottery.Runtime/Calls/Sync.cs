namespace Pottery;

/// <summary>
/// How every sync member is derived from its async twin: the operation is written once, async, and
/// its sync form waits for it. The async code never captures a synchronization context
/// (<c>ConfigureAwait(false)</c> throughout), so waiting cannot deadlock on one.
/// </summary>
internal static class Sync
{
    /// <summary>Waits for <paramref name="pending"/> and returns its result, throwing its exception as it is.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="pending">The async twin's call.</param>
    /// <returns>The result.</returns>
    public static T Wait<T>(ValueTask<T> pending) =>
        // A pooled source may only be read once it completed, so a pending one is waited for as a task.
        pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();

    /// <summary>Waits for <paramref name="pending"/>, throwing its exception as it is.</summary>
    /// <param name="pending">The async twin's call.</param>
    public static void Wait(ValueTask pending)
    {
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
        }
        else
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}

namespace Pottery;

/// <summary>The execution context without AsyncLocal values, for long-lived loops that must not keep a caller's alive.</summary>
internal static class EmptyExecutionContext
{
    /// <summary>The empty context (what <see cref="ExecutionContext.Capture"/> returns on a thread that never set one).</summary>
    public static readonly ExecutionContext Instance = Capture();

    private static ExecutionContext Capture()
    {
        ExecutionContext? empty = null;
        using (ExecutionContext.SuppressFlow())
        {
            var thread = new Thread(() => empty = ExecutionContext.Capture());
            thread.Start();
            thread.Join();
        }

        return empty!;
    }
}

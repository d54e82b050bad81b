using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// How the collections enumerate: a page at a time through the one call path, so a failed page fetch
/// is translated like any other command; the sync enumerator waits on the async pages.
/// </summary>
internal static class Paging
{
    private static readonly Task<bool> More = Task.FromResult(true);
    private static readonly Task<bool> Done = Task.FromResult(false);

    /// <summary>
    /// Streams a cursor scan of StackExchange.Redis (<c>HSCAN</c>, <c>SSCAN</c>), each step through
    /// <see cref="RedisCall"/>. A step within a page completes at once; only a step that fetches the
    /// next page waits for Redis.
    /// </summary>
    /// <param name="database">The collection's database.</param>
    /// <param name="key">The collection's key.</param>
    /// <param name="type">The Redis type expected at <paramref name="key"/>.</param>
    /// <param name="scan">The scan, e.g. <c>database.HashScanAsync(key)</c>.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The scanned items.</returns>
    public static async IAsyncEnumerable<TItem> Scan<TItem>(IDatabase database, RedisKey key, RedisType type, IAsyncEnumerable<TItem> scan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = scan.GetAsyncEnumerator(cancellationToken);
        await using (items.ConfigureAwait(false))
        {
            while (await RedisCall.Async(database, key, type, items, static (_, _, items) => Step(items.MoveNextAsync()), static (more, _, _) => more, cancellationToken).ConfigureAwait(false))
            {
                yield return items.Current;
            }
        }
    }

    // A step within a page completes at once: no task is allocated for it.
    private static Task<bool> Step(ValueTask<bool> step) =>
        !step.IsCompletedSuccessfully ? step.AsTask() : step.Result ? More : Done;

    /// <summary>The sync form of an async enumeration: each step is waited for with <see cref="Sync"/>.</summary>
    /// <param name="items">The async enumeration.</param>
    /// <returns>The same items.</returns>
    public static IEnumerable<TItem> Wait<TItem>(IAsyncEnumerable<TItem> items)
    {
        var steps = items.GetAsyncEnumerator();
        try
        {
            while (Sync.Wait(steps.MoveNextAsync()))
            {
                yield return steps.Current;
            }
        }
        finally
        {
            Sync.Wait(steps.DisposeAsync());
        }
    }
}

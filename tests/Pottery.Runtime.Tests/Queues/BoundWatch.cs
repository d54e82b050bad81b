using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>
/// Asks the server over and over how many items a queue holds, and keeps the largest answer: the
/// bound as Redis saw it while a test ran.
/// </summary>
internal sealed class BoundWatch : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<long> _watching;

    private BoundWatch(IDatabase database, string kind, RedisKey key) =>
        _watching = Task.Run(async () =>
        {
            var most = 0L;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    most = Math.Max(most, kind == QueueKind.Priority ? await database.SortedSetLengthAsync(key) : await database.ListLengthAsync(key));
                }
                catch (RedisException)
                {
                    // A server that is down or paused holds what it held.
                }
            }

            return most;
        });

    /// <summary>Starts watching the queue of <paramref name="kind"/> at <paramref name="key"/>.</summary>
    public static BoundWatch Start(IDatabase database, string kind, RedisKey key) => new(database, kind, key);

    /// <summary>Stops watching and returns the most items seen.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        return await _watching;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}

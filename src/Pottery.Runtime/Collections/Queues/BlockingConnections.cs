using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Dedicated connections for blocking commands (BLPOP, BLMOVE, BZPOPMIN), which would stall every
/// other caller on a shared multiplexer. One connection serves one blocked call at a time; idle
/// ones are kept for the next call and closed on dispose.
/// </summary>
internal sealed class BlockingConnections : IDisposable
{
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly ConcurrentBag<IConnectionMultiplexer> _idle = [];
    private readonly ConcurrentDictionary<IConnectionMultiplexer, bool> _all = new();
    private readonly int _database;
    private volatile bool _disposed;

    public BlockingConnections(IDatabase shared, Func<Task<IConnectionMultiplexer>>? connect)
    {
        _database = shared.Database;
        _connect = connect ?? (() => ConnectLike(shared.Multiplexer));
    }

    /// <summary>A dedicated connection; give it back with <see cref="Return"/>.</summary>
    public async Task<IDatabase> RentAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_idle.TryTake(out var connection))
        {
            connection = await _connect().ConfigureAwait(false);
            _all[connection] = true;
        }

        return connection.GetDatabase(_database);
    }

    public void Return(IDatabase database)
    {
        if (_disposed)
        {
            database.Multiplexer.Dispose();
            return;
        }

        _idle.Add(database.Multiplexer);
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var connection in _all.Keys)
        {
            connection.Dispose();
        }
    }

    // Same servers and credentials as the shared connection, with timeouts that outlast a blocking slice.
    private static async Task<IConnectionMultiplexer> ConnectLike(IConnectionMultiplexer shared)
    {
        var options = ConfigurationOptions.Parse(shared.Configuration);
        options.AbortOnConnectFail = false;
        options.SyncTimeout = Math.Max(options.SyncTimeout, 10_000);
        options.AsyncTimeout = Math.Max(options.AsyncTimeout, 10_000);
        options.ClientName = "pottery-blocking";
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }
}

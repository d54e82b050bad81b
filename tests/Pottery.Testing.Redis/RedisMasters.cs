using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// Several independent Redis masters (not replicas, not a cluster), as multi-master Redlock and
/// NextId use them; each has its own process, port and connection.
/// </summary>
public sealed class RedisMasters : IAsyncDisposable
{
    private RedisMasters(IReadOnlyList<RedisServer> servers, IReadOnlyList<ConnectionMultiplexer> connections)
    {
        Servers = servers;
        Connections = connections;
    }

    /// <summary>The server processes, in start order.</summary>
    public IReadOnlyList<RedisServer> Servers { get; }

    /// <summary>One connection per server, in the same order.</summary>
    public IReadOnlyList<ConnectionMultiplexer> Connections { get; }

    /// <summary>Database 0 of each server, in the same order.</summary>
    public IReadOnlyList<IDatabase> Databases => Connections.Select(c => c.GetDatabase()).ToArray();

    /// <summary>Freezes the given servers (SIGSTOP) until the returned scope ends, which lets them run again.</summary>
    /// <param name="indexes">Which servers, by position in <see cref="Servers"/>.</param>
    /// <returns>The scope; resuming a server that already runs again is harmless.</returns>
    public IDisposable Pause(params int[] indexes)
    {
        var paused = indexes.Select(i => Servers[i]).ToArray();
        foreach (var server in paused)
        {
            server.Pause();
        }

        return new Paused(paused);
    }

    /// <summary>Starts <paramref name="count"/> masters in parallel and connects to each.</summary>
    /// <param name="count">How many masters, at least 1.</param>
    /// <returns>The running masters.</returns>
    public static async Task<RedisMasters> StartAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var starts = Enumerable.Range(0, count).Select(_ => RedisServer.StartAsync()).ToArray();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            foreach (var started in starts.Where(s => s.IsCompletedSuccessfully))
            {
                started.Result.Dispose();
            }

            throw;
        }

        var servers = starts.Select(s => s.Result).ToArray();
        var connections = await Task.WhenAll(servers.Select(s => s.ConnectAsync())).ConfigureAwait(false);
        return new RedisMasters(servers, connections);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var server in Servers)
        {
            server.Dispose();
        }
    }

    private sealed class Paused(RedisServer[] servers) : IDisposable
    {
        public void Dispose()
        {
            foreach (var server in servers)
            {
                server.Resume();
            }
        }
    }
}

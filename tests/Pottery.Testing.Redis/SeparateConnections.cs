using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// Connections of their own to every master, as another process has: locks on them share nothing
/// in-process (such as the local line of a lock's acquirers) with locks on the masters' usual
/// connections, so they meet those only in Redis.
/// </summary>
public sealed class SeparateConnections : IAsyncDisposable
{
    private SeparateConnections(ConnectionMultiplexer[] connections) => Connections = connections;

    /// <summary>One new connection per master, in the masters' order.</summary>
    public IReadOnlyList<ConnectionMultiplexer> Connections { get; }

    /// <summary>Database 0 of each new connection.</summary>
    public IReadOnlyList<IDatabase> Databases => Connections.Select(c => c.GetDatabase()).ToArray();

    /// <summary>Connects anew to each of <paramref name="servers"/>.</summary>
    /// <param name="servers">The servers.</param>
    /// <returns>The connections; dispose them when done.</returns>
    public static async Task<SeparateConnections> ToAsync(IEnumerable<RedisServer> servers) =>
        new(await Task.WhenAll(servers.Select(server => server.ConnectAsync())).ConfigureAwait(false));

    /// <summary>Connects anew to each of <paramref name="servers"/> with options changed by <paramref name="configure"/> (a shorter command timeout, say).</summary>
    /// <param name="servers">The servers.</param>
    /// <param name="configure">Changes each connection's options before connecting.</param>
    /// <returns>The connections; dispose them when done.</returns>
    public static async Task<SeparateConnections> ToAsync(IEnumerable<RedisServer> servers, Action<ConfigurationOptions> configure) =>
        new(await Task.WhenAll(servers.Select(server => server.ConnectAsync(configure))).ConfigureAwait(false));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

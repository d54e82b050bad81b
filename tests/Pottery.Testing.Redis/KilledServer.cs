using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// A connection whose server has been killed, for "server down" tests: commands on
/// <see cref="Database"/> fail at once with StackExchange.Redis connection errors.
/// </summary>
public sealed class KilledServer : IAsyncDisposable
{
    private readonly RedisServer _server;
    private readonly ConnectionMultiplexer _connection;

    private KilledServer(RedisServer server, ConnectionMultiplexer connection)
    {
        _server = server;
        _connection = connection;
    }

    /// <summary>Database 0 of the dead server.</summary>
    public IDatabase Database => _connection.GetDatabase();

    /// <summary>Starts a server, connects to it, then kills it.</summary>
    /// <returns>The connection to the dead server.</returns>
    public static async Task<KilledServer> StartAsync()
    {
        var server = await RedisServer.StartAsync().ConfigureAwait(false);
        var connection = await server.ConnectAsync().ConfigureAwait(false);
        server.Kill();
        return new KilledServer(server, connection);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _server.Dispose();
    }
}

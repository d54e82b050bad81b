using StackExchange.Redis;
using Xunit;

namespace Pottery.Testing.Redis;

/// <summary>
/// An xunit class fixture: one real redis-server for a test class, started before its first
/// test and stopped after its last. Use <see cref="TestKeys.Unique"/> for keys.
/// </summary>
public class RedisServerFixture : IRedisFixture, IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    /// <inheritdoc />
    public ServerKind Kind => ServerKind.Standalone;

    /// <summary>The server.</summary>
    public RedisServer Server => _server ?? throw NotStarted();

    /// <summary>A connection to the server (admin commands allowed).</summary>
    public ConnectionMultiplexer Connection => _connection ?? throw NotStarted();

    /// <summary>Database 0 of the server.</summary>
    public IDatabase Database => Connection.GetDatabase();

    /// <inheritdoc />
    public string Endpoint => Server.Endpoint;

    /// <inheritdoc />
    public Task<ConnectionMultiplexer> ConnectAsync() => Server.ConnectAsync();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync().ConfigureAwait(false);
        _connection = await _server.ConnectAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _server?.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("The Redis fixture has not been initialised.");
}

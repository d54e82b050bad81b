using StackExchange.Redis;
using Xunit;

namespace Pottery.Testing.Redis;

/// <summary>
/// An xunit class fixture over one <see cref="GarnetServer"/> shared by every test class of the test
/// process (keys from <see cref="TestKeys.Unique"/> keep classes apart); it stops when the process exits.
/// </summary>
public sealed class SharedGarnetFixture : IRedisFixture, IAsyncLifetime
{
    private static readonly Lazy<Task<(GarnetServer Server, ConnectionMultiplexer Connection)>> Shared = new(StartAsync);
    private (GarnetServer Server, ConnectionMultiplexer Connection)? _garnet;

    /// <inheritdoc />
    public ServerKind Kind => ServerKind.Garnet;

    /// <summary>The server.</summary>
    public GarnetServer Server => Started.Server;

    /// <inheritdoc />
    public ConnectionMultiplexer Connection => Started.Connection;

    /// <inheritdoc />
    public IDatabase Database => Connection.GetDatabase();

    private (GarnetServer Server, ConnectionMultiplexer Connection) Started =>
        _garnet ?? throw new InvalidOperationException("The shared Garnet server has not been initialised.");

    /// <inheritdoc />
    public string Endpoint => Server.Endpoint;

    /// <inheritdoc />
    public Task<ConnectionMultiplexer> ConnectAsync() => Server.ConnectAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _garnet = await Shared.Value.ConfigureAwait(false);

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(GarnetServer, ConnectionMultiplexer)> StartAsync()
    {
        var server = await GarnetServer.StartAsync().ConfigureAwait(false);
        // Never disposed: GarnetServer kills its process when the test host exits.
        var connection = await server.ConnectAsync().ConfigureAwait(false);
        return (server, connection);
    }
}

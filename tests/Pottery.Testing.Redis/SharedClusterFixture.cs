using StackExchange.Redis;
using Xunit;

namespace Pottery.Testing.Redis;

/// <summary>
/// An xunit class fixture over one <see cref="RedisCluster"/> shared by every test class of the test
/// process (forming a cluster takes seconds; keys from <see cref="TestKeys.Unique"/> keep classes apart).
/// The cluster starts with the first class that uses it and stops when the process exits. Tests that
/// kill nodes use a <see cref="RedisClusterFixture"/> of their own instead.
/// </summary>
public sealed class SharedClusterFixture : IRedisFixture, IAsyncLifetime
{
    private static readonly Lazy<Task<RedisCluster>> Shared = new(StartAsync);
    private RedisCluster? _cluster;

    /// <inheritdoc />
    public ServerKind Kind => ServerKind.Cluster;

    /// <summary>The cluster.</summary>
    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The shared Redis Cluster has not been initialised.");

    /// <inheritdoc />
    public ConnectionMultiplexer Connection => Cluster.Connection;

    /// <inheritdoc />
    public IDatabase Database => Cluster.Database;

    /// <inheritdoc />
    public string Endpoint => Cluster.Nodes[0].Endpoint;

    /// <inheritdoc />
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(Cluster.Options());

    /// <inheritdoc />
    public async Task InitializeAsync() => _cluster = await Shared.Value.ConfigureAwait(false);

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    // Never disposed: RedisServer kills its processes when the test host exits.
    private static Task<RedisCluster> StartAsync() => RedisCluster.StartAsync();
}

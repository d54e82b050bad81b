using StackExchange.Redis;
using Xunit;

namespace Pottery.Testing.Redis;

/// <summary>
/// An xunit fixture: one six-node <see cref="RedisCluster"/> (three masters, three replicas), started
/// before the first test that uses it and torn down after the last. Use <see cref="TestKeys.Unique"/> for keys.
/// </summary>
public class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    /// <summary>The cluster.</summary>
    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The Redis Cluster fixture has not been initialised.");

    /// <summary>A cluster-aware connection (admin commands allowed).</summary>
    public ConnectionMultiplexer Connection => Cluster.Connection;

    /// <summary>Database 0 of the cluster.</summary>
    public IDatabase Database => Cluster.Database;

    /// <inheritdoc />
    public async Task InitializeAsync() => _cluster = await RedisCluster.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}

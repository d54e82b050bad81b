using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// What a test class needs from its server, whatever kind it is: a suite written against this runs on
/// standalone Redis (<see cref="RedisServerFixture"/>), Redis Cluster (<see cref="SharedClusterFixture"/>)
/// and Garnet (<see cref="SharedGarnetFixture"/>) through one derived class per kind.
/// </summary>
public interface IRedisFixture
{
    /// <summary>Which kind of server this is.</summary>
    ServerKind Kind { get; }

    /// <summary>A connection to the server (admin commands allowed).</summary>
    ConnectionMultiplexer Connection { get; }

    /// <summary>Database 0.</summary>
    IDatabase Database { get; }

    /// <summary>An endpoint a new client (another process, say) connects to; on a cluster one node, from which the client finds the others.</summary>
    string Endpoint { get; }

    /// <summary>Opens another connection to the same server or cluster, with the fixture's options.</summary>
    /// <returns>The connection; dispose it when done.</returns>
    Task<ConnectionMultiplexer> ConnectAsync();
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Infrastructure;

public sealed class SharedClusterTests(SharedClusterFixture cluster) : IClassFixture<SharedClusterFixture>
{
    [Fact]
    public async Task Cluster_has_three_masters_with_a_replica_each_and_serves_keys_of_every_master()
    {
        var nodes = (await cluster.Connection.GetServer(cluster.Cluster.Nodes[0].Endpoint).ClusterNodesAsync())!.Nodes;

        Assert.Equal(RedisCluster.NodeCount, nodes.Count);
        Assert.Equal(3, nodes.Count(n => !n.IsReplica));
        Assert.All(nodes.Where(n => n.IsReplica), replica => Assert.NotNull(replica.ParentNodeId));
        var keys = Enumerable.Range(0, 30).Select(i => TestKeys.Unique(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(3, keys.Select(k => cluster.Cluster.MasterFor(k).Port).Distinct().Count());
        foreach (var key in keys)
        {
            await cluster.Database.StringSetAsync(key, "v");
            Assert.Equal("v", await cluster.Database.StringGetAsync(key));
        }
    }

    [Fact]
    public async Task Cluster_refuses_a_script_over_keys_of_two_slots()
    {
        var error = await Assert.ThrowsAsync<RedisServerException>(() => cluster.Database.ExecuteAsync("EVAL", "return 1", 2, "{a}x", "{b}x"));

        Assert.Contains("CROSSSLOT", error.Message, StringComparison.Ordinal);
    }
}

public sealed class SharedGarnetTests(SharedGarnetFixture garnet) : IClassFixture<SharedGarnetFixture>
{
    [Fact]
    public async Task Garnet_answers_and_runs_lua()
    {
        var key = TestKeys.Unique();

        var reply = await garnet.Database.ScriptEvaluateAsync("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])", [key], ["v"]);

        Assert.Equal("v", (string?)reply);
        Assert.Contains("garnet_version", (string?)await garnet.Database.ExecuteAsync("INFO", "server") ?? string.Empty, StringComparison.Ordinal);
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Cluster;

// While a slot migrates, a command over several of its keys of which only some are still on the
// source is answered TRYAGAIN: "not now", so RedisUnavailableException. A cluster of its own, since
// the migration stalls every key of that slot.
public sealed class ClusterSlotMigrationTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task A_multi_key_command_during_a_slot_migration_is_unavailable_not_a_raw_server_error_on_Cluster()
    {
        var tag = TestKeys.SlotTag();
        var db = cluster.Database;
        using var present = new RedisSet<string>(db, ["x"], TestKeys.Unique(tag + "present"));
        using var moved = new RedisSet<string>(db, TestKeys.Unique(tag + "moved"));
        var slot = cluster.Connection.HashSlot(present.Key);
        var source = cluster.Connection.GetServer(cluster.Cluster.MasterFor(present.Key).Endpoint);
        var target = cluster.Connection.GetServers().First(server => !server.IsReplica && server.EndPoint.ToString() != source.EndPoint.ToString());
        var sourceId = (string)(await source.ExecuteAsync("CLUSTER", "MYID"))!;
        var targetId = (string)(await target.ExecuteAsync("CLUSTER", "MYID"))!;

        await target.ExecuteAsync("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
        await source.ExecuteAsync("CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
        try
        {
            var error = await Assert.ThrowsAsync<RedisUnavailableException>(() => present.UnionOfAsync(moved).AsTask());
            Assert.Contains("TRYAGAIN", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await source.ExecuteAsync("CLUSTER", "SETSLOT", slot, "STABLE");
            await target.ExecuteAsync("CLUSTER", "SETSLOT", slot, "STABLE");
        }

        Assert.Equal(["x"], await present.UnionOfAsync(moved));
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Keys;

public sealed class HashSlotTests(HashSlotTests.ClusterModeServer redis) : IClassFixture<HashSlotTests.ClusterModeServer>
{
    [Theory]
    [InlineData("123456789", 12739)] // Redis Cluster spec: CRC16 of "123456789" is 0x31C3
    [InlineData("foo", 12182)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("foo{}{bar}", 8363)]
    [InlineData("foo{{bar}}zap", 4015)]
    [InlineData("foo{bar}{zap}", 5061)]
    public void Slots_follow_the_cluster_spec(string key, int slot) => Assert.Equal(slot, HashSlot.Of(key));

    [Theory]
    [InlineData("plain")]
    [InlineData("pottery:abc")]
    [InlineData("has{tag}inside")]
    [InlineData("close}brace")]
    [InlineData("empty{}tag")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("")]
    [InlineData("ünï")]
    public async Task Temporary_keys_share_the_slot_of_their_key_as_the_server_computes_it(string key)
    {
        var temporary = TemporaryKey.For(key);

        Assert.Contains("tmp:", temporary.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(temporary, TemporaryKey.For(key));
        Assert.Equal(await ServerSlotAsync(key), await ServerSlotAsync(temporary));
    }

    private async Task<int> ServerSlotAsync(RedisKey key) =>
        (int)await redis.Connection.GetServer(redis.Server.Endpoint).ExecuteAsync("CLUSTER", "KEYSLOT", key);

    /// <summary>A server in cluster mode, which alone answers CLUSTER KEYSLOT.</summary>
    public sealed class ClusterModeServer : IAsyncLifetime
    {
        public RedisServer Server { get; private set; } = null!;

        public ConnectionMultiplexer Connection { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await RedisServer.StartAsync("--cluster-enabled", "yes");
            Connection = await Server.ConnectAsync();
        }

        public async Task DisposeAsync()
        {
            await Connection.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}

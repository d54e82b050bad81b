using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Infrastructure;

public sealed class RedisServerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Started_server_answers_on_loopback_with_persistence_off()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var db = connection.GetDatabase();
        var admin = connection.GetServer(server.Endpoint);

        Assert.True(await db.PingAsync() >= TimeSpan.Zero);
        Assert.Equal(string.Empty, (await admin.ConfigGetAsync("save")).Single().Value);
        Assert.Equal("no", (await admin.ConfigGetAsync("appendonly")).Single().Value);
        Assert.Equal("127.0.0.1", (await admin.ConfigGetAsync("bind")).Single().Value);
        Assert.Equal(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), (await admin.ConfigGetAsync("port")).Single().Value);
    }

    [Fact]
    public async Task Killed_server_is_unreachable_and_restart_brings_a_fresh_one_on_the_same_port()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var db = connection.GetDatabase();
        var key = TestKeys.Unique();
        await db.StringSetAsync(key, "before");
        var runIdBefore = await RunIdAsync(db);
        var port = server.Port;
        var pidBefore = server.ProcessId;

        server.Kill();

        Assert.False(server.IsRunning);
        await Assert.ThrowsAnyAsync<RedisException>(() => db.PingAsync());

        await server.RestartAsync();

        Assert.True(server.IsRunning);
        Assert.Equal(port, server.Port);
        Assert.NotEqual(pidBefore, server.ProcessId);
        var runIdAfter = await Eventually.SucceedsAsync(() => RunIdAsync(db), Deadline);
        Assert.NotEqual(runIdBefore, runIdAfter);
        Assert.False(await db.KeyExistsAsync(key), "a restarted server must start empty: persistence is off");
    }

    [Fact]
    public async Task Paused_server_stops_answering_until_resumed()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync(options => options.AsyncTimeout = 500);
        var db = connection.GetDatabase();
        await db.PingAsync();

        server.Pause();
        Assert.True(server.IsPaused);
        await Assert.ThrowsAsync<RedisTimeoutException>(() => db.PingAsync());

        server.Resume();
        Assert.False(server.IsPaused);
        await Eventually.SucceedsAsync(() => db.PingAsync(), Deadline);
    }

    [Fact]
    public async Task Masters_are_independent_servers()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        var key = TestKeys.Unique();

        Assert.Equal(5, masters.Servers.Select(s => s.Port).Distinct().Count());
        Assert.Equal(5, masters.Servers.Select(s => s.ProcessId).Distinct().Count());
        var runIds = await Task.WhenAll(masters.Databases.Select(RunIdAsync));
        Assert.Equal(5, runIds.Distinct().Count());

        await masters.Databases[0].StringSetAsync(key, "only on the first");
        var present = await Task.WhenAll(masters.Databases.Select(db => db.KeyExistsAsync(key)));
        Assert.Equal([true, false, false, false, false], present);
    }

    [Fact]
    public async Task Killing_one_master_leaves_the_others_serving()
    {
        await using var masters = await RedisMasters.StartAsync(3);

        masters.Servers[1].Kill();

        await masters.Databases[0].PingAsync();
        await masters.Databases[2].PingAsync();
        await Assert.ThrowsAnyAsync<RedisException>(() => masters.Databases[1].PingAsync());
    }

    [Fact]
    public void Missing_redis_server_fails_with_install_instructions()
    {
        var empty = Directory.CreateTempSubdirectory("pottery-empty-path-").FullName;
        try
        {
            var onPath = Assert.Throws<RedisServerNotFoundException>(() => RedisServerBinary.Find(null, empty));
            Assert.Contains("apt-get install redis-server", onPath.Message, StringComparison.Ordinal);

            var explicitPath = Assert.Throws<RedisServerNotFoundException>(() => RedisServerBinary.Find(Path.Combine(empty, "redis-server"), empty));
            Assert.Contains(RedisServerBinary.PathVariable, explicitPath.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Test_keys_are_unique_and_name_their_test()
    {
        var first = TestKeys.Unique("dict");
        var second = TestKeys.Unique("dict");

        Assert.NotEqual(first, second);
        Assert.StartsWith($"test:{nameof(Test_keys_are_unique_and_name_their_test)}:dict:", first.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> RunIdAsync(IDatabase db)
    {
        var info = (string)(await db.ExecuteAsync("INFO", "server"))!;
        return info.Split('\n').Single(line => line.StartsWith("run_id:", StringComparison.Ordinal)).Trim();
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Exceptions;

/// <summary>Server replies that mean "not now" (READONLY, MASTERDOWN, LOADING, CLUSTERDOWN, TRYAGAIN) are <see cref="RedisUnavailableException"/>: retryable.</summary>
public sealed class RedisErrorsTests
{
    [Fact]
    public async Task A_write_to_a_server_that_became_a_replica_is_unavailable_not_a_raw_server_error()
    {
        await using var master = await RedisServer.StartAsync();
        await using var demoted = await RedisServer.StartAsync();
        await using var connection = await demoted.ConnectAsync();
        using var dict = new RedisDict<string, int>(connection.GetDatabase(), TestKeys.Unique());
        dict["before"] = 1;

        // Sent as a plain command on another connection (ReplicaOfAsync would tell every client to
        // reconfigure), so the client still takes the server for a master and sends the write.
        await using (var admin = await demoted.ConnectAsync())
        {
            await admin.GetServers()[0].ExecuteAsync("REPLICAOF", "127.0.0.1", master.Port);
        }

        var error = await Assert.ThrowsAsync<RedisUnavailableException>(async () => await dict.SetAsync("after", 2));

        Assert.True(error.Message.Contains("READONLY", StringComparison.Ordinal), error.Message);
        Assert.Equal(dict.Key.ToString(), error.Key);
    }

    [Fact]
    public async Task A_read_from_a_replica_that_lost_its_master_and_serves_no_stale_data_is_unavailable()
    {
        await using var master = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync("--replicaof", "127.0.0.1", master.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--replica-serve-stale-data", "no");
        master.Kill();
        await using var connection = await replica.ConnectAsync();
        using var dict = new RedisDict<string, int>(connection.GetDatabase(), TestKeys.Unique());

        var error = await Assert.ThrowsAsync<RedisUnavailableException>(async () => await dict.ContainsKeyAsync("x"));

        Assert.Contains("MASTERDOWN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_while_the_server_loads_its_dataset_is_unavailable_and_works_again_after()
    {
        await using var server = await RedisServer.StartAsync("--enable-debug-command", "yes");
        await using var connection = await server.ConnectAsync();
        await using var admin = await server.ConnectAsync();
        var control = admin.GetServers()[0];
        using var dict = new RedisDict<string, int>(connection.GetDatabase(), TestKeys.Unique());
        dict["x"] = 1;

        // DEBUG RELOAD saves and loads the dataset again; slowed to about a second (200 µs a key),
        // with clients answered every KB, so commands meanwhile get Redis' LOADING reply.
        await control.ExecuteAsync("DEBUG", "POPULATE", "5000", "filler", "100");
        await control.ExecuteAsync("CONFIG", "SET", "loading-process-events-interval-bytes", "1024");
        await control.ExecuteAsync("CONFIG", "SET", "key-load-delay", "200");
        var reload = control.ExecuteAsync("DEBUG", "RELOAD");

        RedisUnavailableException? error = null;
        while (error is null && !reload.IsCompleted)
        {
            try
            {
                await dict.ContainsKeyAsync("x");
            }
            catch (RedisUnavailableException unavailable)
            {
                error = unavailable;
            }
        }

        await reload;
        Assert.NotNull(error);
        Assert.StartsWith("LOADING", error.InnerException!.Message, StringComparison.Ordinal);
        Assert.IsType<RedisServerException>(error.InnerException);
        Assert.Equal(dict.Key.ToString(), error.Key);
        Assert.True(await dict.ContainsKeyAsync("x"));
    }
}

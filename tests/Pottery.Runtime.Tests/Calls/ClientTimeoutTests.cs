using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Calls;

public sealed class ClientTimeoutTests
{
    [Fact]
    public async Task A_client_fails_unanswered_commands_after_its_async_timeout_and_one_heartbeat()
    {
        await using var server = await RedisServer.StartAsync();
        await using var configured = await server.ConnectAsync(options => options.AsyncTimeout = 1234);
        await using var syncOnly = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},syncTimeout=777");

        Assert.Equal(TimeSpan.FromMilliseconds(1234 + 1000), ClientTimeout.Of(configured.GetDatabase()));

        // Unset, the async timeout is the sync one.
        Assert.Equal(TimeSpan.FromMilliseconds(777 + 1000), ClientTimeout.Of(syncOnly.GetDatabase()));
    }
}

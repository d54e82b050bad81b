using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Scripts;

/// <summary>
/// Pottery's multi-step writes are Lua scripts because a script runs alone. Garnet only runs them so
/// with <c>--lua-transaction-mode</c>; this holds the test servers (and the README's advice) to it.
/// </summary>
public sealed class GarnetScriptAtomicityTests(SharedGarnetFixture garnet) : IClassFixture<SharedGarnetFixture>
{
    private const string ReadThenWrite = """
        local value = tonumber(redis.call('GET', KEYS[1]) or '0')
        redis.call('SET', KEYS[1], value + 1)
        return value + 1
        """;

    [Fact]
    public async Task Concurrent_read_then_write_scripts_lose_no_update()
    {
        var key = TestKeys.Unique("atomic");
        var clients = new ConnectionMultiplexer[4];
        for (var i = 0; i < clients.Length; i++)
        {
            clients[i] = await ConnectionMultiplexer.ConnectAsync(garnet.Endpoint);
        }

        try
        {
            await Task.WhenAll(clients.Select(async client =>
            {
                var database = client.GetDatabase();
                for (var i = 0; i < 300; i++)
                {
                    await database.ScriptEvaluateAsync(ReadThenWrite, [key]);
                }
            }));

            Assert.Equal(1200, (long)await garnet.Database.StringGetAsync(key));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}

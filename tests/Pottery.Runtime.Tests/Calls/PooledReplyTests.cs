using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Calls;

public sealed class PooledReplyTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task A_sync_call_where_an_async_call_resumed_does_not_wait_on_its_own_thread()
    {
        // Without a synchronization context the caller resumes inside the loop that awaited its
        // reply; a sync call there must not be handed that same, now blocked, loop.
        var key = TestKeys.Unique();
        await redis.Database.StringSetAsync(key, "v");
        await Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("v", (string?)await Get(redis.Database, key));
                Assert.Equal("v", (string?)Sync.Wait(Get(redis.Database, key)));
            }
        }).WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static ValueTask<RedisValue> Get(IDatabase database, RedisKey key) =>
        RedisCall.Async(database, key, RedisType.String, 0, static (d, k, _) => d.StringGetAsync(k), static (value, _, _) => value, CancellationToken.None);
}

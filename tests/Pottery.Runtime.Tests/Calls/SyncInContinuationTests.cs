using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Calls;

/// <summary>
/// An awaited call resumes its caller on the pooled source's own loop; a sync twin called right
/// there (sync and async code mixed, as users do) must not wait for that same loop.
/// </summary>
public sealed class SyncInContinuationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task A_sync_call_in_the_continuation_of_an_awaited_call_completes()
    {
        var db = redis.Database;
        var key = TestKeys.Unique();
        await db.StringSetAsync(key, "v");

        var mixed = Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var awaited = await Get(db, key);
                var waited = Sync.Wait(Get(db, key));
                Assert.Equal(awaited, waited);
            }
        });

        // A deadline rather than a hang: the failure this guards against never completes.
        await mixed.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static ValueTask<string?> Get(IDatabase db, RedisKey key) =>
        RedisCall.Async(db, key, RedisType.String, 0, static (d, k, _) => d.StringGetAsync(k), static (value, _, _) => (string?)value, CancellationToken.None);
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Scripts;

public sealed class RedisScriptTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly RedisScript SetAndEcho = new("redis.call('SET', KEYS[1], ARGV[1]); return ARGV[1]");

    [Fact]
    public async Task A_script_on_one_server_still_runs_after_the_server_forgets_it()
    {
        var key = TestKeys.Unique();
        var db = redis.Database;
        Assert.Equal("a", (string?)await Run(db, key, "a"));
        await redis.Connection.GetServer(redis.Server.Endpoint).ScriptFlushAsync();

        Assert.Equal("b", (string?)await Run(db, key, "b"));

        Assert.Equal("b", (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task User_data_with_lua_syntax_stays_data()
    {
        var key = TestKeys.Unique();
        const string hostile = "'); redis.call('FLUSHALL'); --";

        await Run(redis.Database, key, hostile);

        Assert.Equal(hostile, (string?)await redis.Database.StringGetAsync(key));
    }

    [Fact]
    public void The_hash_the_quorum_rounds_send_is_the_sha1_redis_computes()
    {
        var loaded = redis.Connection.GetServer(redis.Server.Endpoint).ScriptLoad(SetAndEcho.Source);
        Assert.Equal(loaded, SetAndEcho.Hash.ToArray());
    }

    private static ValueTask<RedisResult> Run(IDatabase db, RedisKey key, string value) =>
        RedisCall.Script(db, key, RedisType.String, SetAndEcho, [key], [value], CancellationToken.None);
}

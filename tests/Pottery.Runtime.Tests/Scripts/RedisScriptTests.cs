using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Scripts;

public sealed class RedisScriptTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly RedisScript SetAndEcho = new("redis.call('SET', KEYS[1], ARGV[1]); return ARGV[1]");

    [Fact]
    public async Task Runs_by_sha_once_loaded_and_reloads_after_the_server_forgets_it()
    {
        var key = TestKeys.Unique();
        var db = redis.Database;
        await redis.Connection.GetServer(redis.Server.Endpoint).ScriptFlushAsync();

        using (var first = CommandLog.Start(redis.Connection))
        {
            Assert.Equal("a", (string?)await SetAndEcho.EvaluateAsync(db, [key], ["a"]));
            Assert.Equal(["EVALSHA", "EVAL"], first.Commands);
        }

        using (var second = CommandLog.Start(redis.Connection))
        {
            Assert.Equal("b", (string?)SetAndEcho.Evaluate(db, [key], ["b"]));
            Assert.Equal(["EVALSHA"], second.Commands);
        }

        Assert.Equal("b", (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task User_data_with_lua_syntax_stays_data()
    {
        var key = TestKeys.Unique();
        const string hostile = "'); redis.call('FLUSHALL'); --";

        await SetAndEcho.EvaluateAsync(redis.Database, [key], [hostile]);

        Assert.Equal(hostile, (string?)await redis.Database.StringGetAsync(key));
    }

    [Fact]
    public void The_hash_is_the_sha1_redis_computes()
    {
        var loaded = redis.Connection.GetServer(redis.Server.Endpoint).ScriptLoad(SetAndEcho.Source);
        Assert.Equal(loaded, SetAndEcho.Hash.ToArray());
    }
}

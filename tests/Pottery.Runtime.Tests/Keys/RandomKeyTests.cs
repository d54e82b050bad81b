using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Keys;

public sealed class RandomKeyTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Random_keys_are_unused_distinct_and_under_the_pottery_prefix()
    {
        var keys = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            var key = i % 2 == 0 ? RandomKey.Create(_db) : await RandomKey.CreateAsync(_db);
            Assert.Matches("^pottery:[0-9A-Za-z]{16}$", key.ToString());
            Assert.False(await _db.KeyExistsAsync(key));
            Assert.True(keys.Add(key.ToString()));
        }
    }

    [Fact]
    public async Task Taken_names_are_skipped()
    {
        var prefix = $"{TestKeys.Unique()}:";
        await _db.StringSetAsync(prefix + "taken", "x");
        var draws = new Queue<string>(["taken", "taken", "free"]);

        var key = Sync.Wait(RandomKey.CreateAsync(_db, prefix, 3, draws.Dequeue, CancellationToken.None));

        Assert.Equal(prefix + "free", key.ToString());
    }

    [Fact]
    public async Task A_crowded_prefix_gives_up_with_RandomKeyException_after_the_allowed_tries()
    {
        var prefix = $"{TestKeys.Unique()}:";
        await _db.StringSetAsync(prefix + "taken", "x");
        var draws = 0;

        var error = Assert.Throws<RandomKeyException>(() => Sync.Wait(RandomKey.CreateAsync(_db, prefix, 3, () => { draws++; return "taken"; }, CancellationToken.None)));
        var asyncError = await Assert.ThrowsAsync<RandomKeyException>(async () => await RandomKey.CreateAsync(_db, prefix, 3, () => { draws++; return "taken"; }, CancellationToken.None));

        Assert.Equal(6, draws);
        Assert.Contains(prefix, error.Message, StringComparison.Ordinal);
        Assert.Contains("3 tries", asyncError.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<PotteryException>(error);
    }

    [Fact]
    public void Zero_tries_is_an_argument_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomKey.Create(_db, tries: 0));
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Probabilistic;

/// <summary>pottery's <c>BloomFilter(iterable, num_elements=…, false_positives=…)</c>.</summary>
public abstract class BloomFilterInitialItemsTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task A_filter_made_with_items_holds_them_after_one_command()
    {
        var key = TestKeys.Unique();
        BloomFilter<string> filter;
        using (var log = CommandLog.Start(redis.Connection))
        {
            filter = new BloomFilter<string>(_db, ["rajiv", "raj", "dan"], 100, 0.01, key);
            Assert.Single(log.Commands);
        }

        using (filter)
        {
            Assert.Equal([true, true, true], filter.ContainsMany(["rajiv", "raj", "dan"]));
            using var added = new BloomFilter<string>(_db, 100, 0.01, TestKeys.Unique());
            added.AddRange(["rajiv", "raj", "dan"]);
            Assert.Equal((byte[]?)await _db.StringGetAsync(added.Key), (byte[]?)await _db.StringGetAsync(key));
        }

        using var created = await BloomFilter<string>.CreateAsync(_db, ["eve"], 100, 0.01, TestKeys.Unique());
        Assert.True(await created.ContainsAsync("eve"));
    }

    [Fact]
    public async Task Items_are_added_to_an_existing_filter_like_potterys_update()
    {
        var key = TestKeys.Unique();
        using var first = new BloomFilter<string>(_db, ["a"], 100, 0.01, key);
        using var second = await BloomFilter<string>.CreateAsync(_db, ["b"], 100, 0.01, key);

        Assert.True(second.Contains("a"));
        Assert.True(first.Contains("b"));
    }

    [Fact]
    public void No_items_write_nothing()
    {
        var key = TestKeys.Unique();
        using var filter = new BloomFilter<string>(_db, [], 100, 0.01, key);
        Assert.False(_db.KeyExists(key));
        Assert.Throws<ArgumentNullException>(() => new BloomFilter<string>(_db, null!, 100, 0.01, TestKeys.Unique()));
    }
}

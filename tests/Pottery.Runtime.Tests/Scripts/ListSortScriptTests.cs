using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Scripts;

// The Lua sort that stands in for SORT on Garnet must order exactly as Redis' SORT … STORE does.
public sealed class ListSortScriptTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    public static TheoryData<string[], bool, bool> Lists => new()
    {
        { ["10", "9", "-3", "2.5", "2.50", "1e3", "0x10", "-0", "0", "inf", "-inf"], false, true },
        { ["10", "9", "-3", "2.5", "2.50", "1e3", "-0", "0", "+inf"], true, true },
        { ["b", "B", "a", "ab", "", "é", "z", "10", "9", "\u0001"], false, false },
        { ["b", "B", "a", "ab", "", "é", "z", "10", "9"], true, false },
        { ["same", "same", "same"], false, false },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Sorts_like_redis_SORT_STORE(string[] items, bool descending, bool numeric)
    {
        var db = redis.Database;
        var bySort = TestKeys.Unique("sort");
        var byScript = TestKeys.Unique("script");
        var values = items.Select(i => (RedisValue)i).ToArray();
        await db.ListRightPushAsync(bySort, values);
        await db.ListRightPushAsync(byScript, values);

        await db.SortAndStoreAsync(bySort, bySort, order: descending ? Order.Descending : Order.Ascending, sortType: numeric ? SortType.Numeric : SortType.Alphabetic);
        await RedisCall.Script(db, byScript, RedisType.List, ListSortScript.Sort, [byScript], [descending ? "1" : "0", numeric ? "1" : "0"], CancellationToken.None);

        Assert.Equal((await db.ListRangeAsync(bySort)).Select(v => (string?)v), (await db.ListRangeAsync(byScript)).Select(v => (string?)v));
    }

    [Fact]
    public async Task A_non_number_fails_the_numeric_sort_like_SORT_and_changes_nothing()
    {
        var db = redis.Database;
        var key = TestKeys.Unique();
        await db.ListRightPushAsync(key, ["2", "x", "1"]);

        var bySort = await Assert.ThrowsAsync<RedisServerException>(() => db.SortAndStoreAsync(key, key, sortType: SortType.Numeric));
        var byScript = await Assert.ThrowsAsync<RedisServerException>(() => RedisCall.Script(db, key, RedisType.List, ListSortScript.Sort, [key], ["0", "1"], CancellationToken.None).AsTask());

        Assert.Equal(bySort.Message, byScript.Message);
        Assert.Equal(["2", "x", "1"], (await db.ListRangeAsync(key)).Select(v => (string?)v));
    }
}

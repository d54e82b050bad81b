using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

public abstract class RedisListTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    private RedisList<string> Letters(string letters) => new(_db, letters.Select(c => c.ToString()), TestKeys.Unique());

    private static List<string> Of(string letters) => [.. letters.Select(c => c.ToString())];

    [Fact]
    public void Behaves_like_pottery_readme_squares_example()
    {
        using var squares = new RedisList<int>(_db, [1, 4, 9, 16, 25], TestKeys.Unique("squares"));

        Assert.Equal([1, 4, 9, 16, 25], squares.GetRange(..));
        Assert.Equal(1, squares[0]);
        Assert.Equal(25, squares[-1]);
        Assert.Equal([9, 16, 25], squares[^3..]);
        squares.AddRange([36, 49, 64, 81, 100]);
        Assert.Equal([1, 4, 9, 16, 25, 36, 49, 64, 81, 100], squares.ToList());
    }

    [Fact]
    public async Task Negative_and_from_end_indexes_work_like_python()
    {
        using var list = Letters("abcde");

        Assert.Equal("e", list[-1]);
        Assert.Equal("a", list[-5]);
        Assert.Equal("d", list[^2]);
        list[-1] = "E";
        list[^5] = "A";
        await list.SetAsync(2, "C");
        Assert.Equal("C", await list.GetAsync(-3));
        Assert.Equal(Of("AbCdE"), list.GetRange(..));
    }

    [Fact]
    public async Task Out_of_range_indexes_raise_ArgumentOutOfRangeException()
    {
        using var list = Letters("abc");

        Assert.Throws<ArgumentOutOfRangeException>(() => list[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[5] = "x");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => list.GetAsync(10).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => list.SetAsync(-10, "x").AsTask());
        Assert.Throws<ArgumentOutOfRangeException>(() => list.RemoveAt(3));
        Assert.Equal(Of("abc"), list.GetRange(..));
    }

    [Fact]
    public async Task From_end_zero_is_the_end_so_no_element_is_there()
    {
        using var list = Letters("abc");

        Assert.Throws<ArgumentOutOfRangeException>(() => list[^0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[^0] = "x");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => list.GetAsync(^0).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => list.SetAsync(^0, "x").AsTask());
        Assert.Equal(Of("abc"), list.GetRange(..));
    }

    [Fact]
    public async Task A_slice_from_the_end_zero_is_empty_like_python_l_len_colon()
    {
        using var list = Letters("abc");

        Assert.Empty(list[^0..]);
        Assert.Empty(list.GetRange(^0..^0));
        Assert.Empty(await list.GetRangeAsync(^0..));
        Assert.Empty(await list.GetRangeAsync(^0..5));
    }

    [Fact]
    public async Task Setting_an_index_of_an_empty_or_missing_list_raises_ArgumentOutOfRangeException()
    {
        using var missing = new RedisList<string>(_db, TestKeys.Unique());
        Assert.Throws<ArgumentOutOfRangeException>(() => missing[0] = "x");
        Assert.Throws<ArgumentOutOfRangeException>(() => missing[^1] = "x");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => missing.SetAsync(-1, "x").AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => missing.SetAsync(^1, "x").AsTask());

        using var emptied = Letters("a");
        emptied.Pop();
        Assert.Throws<ArgumentOutOfRangeException>(() => emptied[0] = "x");
        Assert.False(_db.KeyExists(missing.Key));
        Assert.False(_db.KeyExists(emptied.Key));
    }

    [Theory]
    [InlineData(0, 5, "abcde")]
    [InlineData(1, 3, "bc")]
    [InlineData(2, 100, "cde")]
    [InlineData(3, 1, "")]
    [InlineData(0, 0, "")]
    public void Slices_clip_like_python(int start, int end, string expected)
    {
        using var list = Letters("abcde");
        Assert.Equal(Of(expected), list[start..end]);
    }

    [Fact]
    public async Task From_end_slices_clip_like_python()
    {
        using var list = Letters("abcde");

        Assert.Equal(Of("bcd"), list[1..^1]);
        Assert.Equal(Of(""), list[..^5]);
        Assert.Equal(Of("abcde"), list[^100..]);
        Assert.Equal(Of("de"), await list.GetRangeAsync(^2..));

        using var log = CommandLog.Start(redis.Connection);
        _ = list[1..^1];
        Assert.Equal(["LRANGE"], log.Commands);
    }

    [Theory]
    [InlineData(0, "Xabc")]
    [InlineData(1, "aXbc")]
    [InlineData(3, "abcX")]
    [InlineData(99, "abcX")]
    [InlineData(-1, "abXc")]
    [InlineData(-99, "Xabc")]
    public void Insert_follows_python_list_insert(int index, string expected)
    {
        using var list = Letters("abc");
        list.Insert(index, "X");
        Assert.Equal(Of(expected), list.GetRange(..));
    }

    [Fact]
    public async Task Insert_and_remove_by_position_are_exact_with_duplicate_values()
    {
        using var list = Letters("aaaa");

        await list.InsertAsync(2, "b");
        Assert.Equal(Of("aabaa"), list.GetRange(..));
        list.RemoveAt(-2);
        Assert.Equal(Of("aaba"), list.GetRange(..));
        await list.RemoveAtAsync(2);
        Assert.Equal(Of("aaa"), list.GetRange(..));
    }

    [Fact]
    public async Task Pop_takes_from_any_position_and_refuses_an_empty_list()
    {
        using var list = Letters("abcd");

        Assert.Equal("d", list.Pop());
        Assert.Equal("a", list.Pop(0));
        Assert.Equal("b", await list.PopAsync(-2));
        Assert.Equal("c", await list.PopAsync());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => list.Pop());
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_IndexOf_and_Contains_find_the_first_occurrence()
    {
        using var list = Letters("abcabc");

        Assert.Equal(1, list.IndexOf("b"));
        Assert.Equal(-1, await list.IndexOfAsync("z"));
        Assert.True(list.Contains("c"));
        Assert.False(await list.ContainsAsync("z"));
        Assert.True(list.Remove("b"));
        Assert.True(await list.RemoveAsync("b"));
        Assert.False(list.Remove("b"));
        Assert.Equal(Of("acac"), list.GetRange(..));
    }

    [Fact]
    public void AddRange_of_ten_thousand_is_one_RPUSH()
    {
        using var list = new RedisList<int>(_db, TestKeys.Unique());

        using (var log = CommandLog.Start(redis.Connection))
        {
            list.AddRange(Enumerable.Range(0, 10_000));
            Assert.Equal(["RPUSH"], log.Commands);
        }

        Assert.Equal(10_000, list.Count);
        Assert.Equal(9_999, list[-1]);
    }

    [Fact]
    public async Task Sort_happens_in_redis_numerically_or_alphabetically()
    {
        using var numbers = new RedisList<int>(_db, [10, -2, 3, 100], TestKeys.Unique());
        using var words = Letters("dbca");

        numbers.Sort();
        await words.SortAsync(descending: true);

        Assert.Equal([-2, 3, 10, 100], numbers.ToList());
        Assert.Equal(Of("dcba"), words.GetRange(..));
    }

    [Fact]
    public async Task ConcatToNew_returns_a_new_list_and_leaves_both_unchanged()
    {
        using var a = Letters("ab");
        using var b = Letters("cd");

        using var joined = a.ConcatToNew(b);
        using var withItems = await a.ConcatToNewAsync(["x", "y"]);

        Assert.Equal(Of("abcd"), joined.GetRange(..));
        Assert.Equal(Of("abcd"), a.Concat(b));
        Assert.Equal(Of("abxy"), withItems.GetRange(..));
        Assert.Equal(Of("ab"), a.GetRange(..));
        Assert.Equal(Of("cd"), b.GetRange(..));
        Assert.True(joined.OwnsKey);
    }

    [Fact]
    public async Task Equality_with_lists_and_sequences()
    {
        var slot = TestKeys.SlotTag();
        using var a = new RedisList<string>(_db, Of("abc"), TestKeys.Unique(slot + "a"));
        using var b = new RedisList<string>(_db, Of("abc"), TestKeys.Unique(slot + "b"));
        using var c = new RedisList<string>(_db, Of("acb"), TestKeys.Unique(slot + "c"));

        using var log = CommandLog.Start(redis.Connection);
        Assert.True(a.ContentEquals(b));
        Assert.False(await a.ContentEqualsAsync(c));
        Assert.All(log.Commands, command => Assert.StartsWith("EVAL", command, StringComparison.Ordinal));

        Assert.True(a.ContentEquals(Of("abc")));
        Assert.False(await a.ContentEqualsAsync(Of("ab")));
    }

    [Fact]
    public async Task Enumeration_pages_through_large_lists_in_order()
    {
        using var list = new RedisList<int>(_db, Enumerable.Range(0, 2_345), TestKeys.Unique());

        var streamed = new List<int>();
        await foreach (var item in list.AsAsyncEnumerable())
        {
            streamed.Add(item);
        }

        var enumerated = new List<int>();
        using var log = CommandLog.Start(redis.Connection);
        foreach (var item in list)
        {
            enumerated.Add(item);
        }

        Assert.Equal(["LRANGE", "LRANGE", "LRANGE"], log.Commands);
        Assert.Equal(Enumerable.Range(0, 2_345), enumerated);
        Assert.Equal(Enumerable.Range(0, 2_345), streamed);
    }

    [Fact]
    public void Empty_lists_behave()
    {
        using var list = new RedisList<string>(_db);
        Assert.Empty(list.GetRange(..));
        Assert.True(list.Count == 0);
        Assert.Empty(list.ToList());
        list.AddRange([]);
        list.Sort();
        Assert.Equal(-1, list.IndexOf("x"));
    }

    [Fact]
    public async Task Bad_input_is_reported_and_nothing_is_partly_written()
    {
        var hashKey = TestKeys.Unique();
        await _db.HashSetAsync(hashKey, "f", "v");
        using var wrong = new RedisList<int>(_db, hashKey);
        Assert.Equal("hash", Assert.Throws<WrongTypeException>(() => wrong.Add(1)).ActualType);
        Assert.Throws<WrongTypeException>(() => wrong.Insert(0, 1));

        var listKey = TestKeys.Unique();
        await _db.ListRightPushAsync(listKey, ["1", "two"]);
        using var bad = new RedisList<int>(_db, listKey);
        var error = Assert.Throws<CodecException>(() => bad[1]);
        Assert.Equal("[1]", error.Field);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bad.AddRangeAsync([3, 4], cancelled.Token).AsTask());
        Assert.Equal(2, await _db.ListLengthAsync(listKey));
    }

    [Fact]
    public async Task A_killed_server_raises_RedisUnavailableException()
    {
        await using var down = await KilledServer.StartAsync();
        using var list = new RedisList<string>(down.Database, TestKeys.Unique());

        Assert.Throws<RedisUnavailableException>(() => list.AddRange(["a"]));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => list.InsertAsync(0, "a").AsTask());
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

/// <summary>Python's slices, slice assignment and deletion, count and reverse, checked against what python3 answers.</summary>
public abstract class RedisListSliceTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    private static List<string> Of(string letters) => letters == "-" ? [] : [.. letters.Select(c => c.ToString())];

    private static IEnumerable<(int? Start, int? Stop, int Step, string Get, string AfterDelete, string AfterSet, bool TooManyFails)> Cases() =>
        PythonSlices.Cases.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var f = line.Split(' ');
            int? Bound(string text) => text == "_" ? null : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            return (Bound(f[0]), Bound(f[1]), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3], f[4], f[5], f[6] == "err");
        });

    private async Task<RedisList<string>> FreshAsync(RedisKey key)
    {
        await _db.KeyDeleteAsync(key);
        await _db.ListRightPushAsync(key, [.. PythonSlices.Base.Select(c => (RedisValue)c.ToString())]);
        return new RedisList<string>(_db, key);
    }

    [Fact]
    public async Task Stepped_slices_read_what_python_reads()
    {
        var key = TestKeys.Unique();
        var list = await FreshAsync(key);
        var cases = Cases().ToList();
        Assert.Equal(320, cases.Count);
        foreach (var (start, stop, step, get, _, _, _) in cases)
        {
            Assert.True(Of(get).SequenceEqual(list.Slice(start, stop, step)), $"l[{start}:{stop}:{step}]");
            Assert.True(Of(get).SequenceEqual(await list.SliceAsync(start, stop, step)), $"l[{start}:{stop}:{step}] async");
        }
    }

    [Fact]
    public async Task Deleting_slices_leaves_what_python_leaves()
    {
        var key = TestKeys.Unique();
        foreach (var (start, stop, step, get, afterDelete, _, _) in Cases())
        {
            var list = await FreshAsync(key);
            var removed = step % 2 == 0 ? await list.RemoveSliceAsync(start, stop, step) : list.RemoveSlice(start, stop, step);
            Assert.True(Of(afterDelete).SequenceEqual(list.GetRange(..)), $"del l[{start}:{stop}:{step}]");
            Assert.Equal(Of(get).Count, removed);
        }
    }

    [Fact]
    public async Task Assigning_slices_leaves_what_python_leaves_and_extended_slices_need_one_value_per_position()
    {
        var key = TestKeys.Unique();
        var n = 0;
        foreach (var (start, stop, step, get, _, afterSet, tooManyFails) in Cases())
        {
            var list = await FreshAsync(key);
            var values = step == 1 ? Of("XY") : Of("XYZWVUTS"[..Of(get).Count]);
            switch (n++ % 3)
            {
                case 0 when step == 1:
                    await list.SetSliceAsync(start, stop, values);
                    break;
                case 1 when step == 1:
                    list.SetSlice(start, stop, values);
                    break;
                case 2:
                    await list.SetSliceAsync(start, stop, step, values);
                    break;
                default:
                    list.SetSlice(start, stop, step, values);
                    break;
            }

            Assert.True(Of(afterSet).SequenceEqual(list.GetRange(..)), $"l[{start}:{stop}:{step}] = {string.Concat(values)}");

            if (tooManyFails)
            {
                list = await FreshAsync(key);
                var error = await Assert.ThrowsAsync<ArgumentException>(() => list.SetSliceAsync(start, stop, step, [.. values, "Q"]).AsTask());
                Assert.Equal("values", error.ParamName);
                Assert.Equal(Of(PythonSlices.Base), list.GetRange(..));
            }
        }
    }

    [Fact]
    public void Slice_assignment_grows_and_shrinks_a_list_of_zeros_like_python()
    {
        using var grow = new RedisList<int>(_db, [0, 1, 0, 2], TestKeys.Unique());
        grow.SetSlice(1, 3, [0, 0, 0]);
        Assert.Equal([0, 0, 0, 0, 2], grow.GetRange(..));

        using var shrink = new RedisList<int>(_db, [0, 1, 0, 2, 0], TestKeys.Unique());
        shrink.SetSlice(1, 4, [7]);
        Assert.Equal([0, 7, 0], shrink.GetRange(..));

        using var insert = new RedisList<int>(_db, [0, 1, 0, 2, 0], TestKeys.Unique());
        insert.SetSlice(2, 2, [9, 9]);
        Assert.Equal([0, 1, 9, 9, 0, 2, 0], insert.GetRange(..));

        using var clear = new RedisList<int>(_db, [0, 1, 0, 2, 0], TestKeys.Unique());
        clear.SetSlice(null, null, []);
        Assert.Empty(clear.GetRange(..));
        Assert.False(_db.KeyExists(clear.Key));

        using var missing = new RedisList<int>(_db, TestKeys.Unique());
        missing.SetSlice(5, 9, [0, 0]);
        Assert.Equal([0, 0], missing.GetRange(..));
    }

    [Fact]
    public async Task Ranges_assign_and_delete_like_python_slices()
    {
        using var list = new RedisList<string>(_db, Of("abcde"), TestKeys.Unique());
        Assert.Equal(3, list.RemoveRange(1..^1));
        Assert.Equal(Of("ae"), list.GetRange(..));

        using var other = new RedisList<string>(_db, Of("abcde"), TestKeys.Unique());
        other.SetRange(^2.., Of("XYZ"));
        Assert.Equal(Of("abcXYZ"), other.GetRange(..));
        await other.SetRangeAsync(^0.., Of("!"));
        Assert.Equal(Of("abcXYZ!"), other.GetRange(..));
        Assert.Equal(0, await other.RemoveRangeAsync(^0..));
        Assert.Equal(7, await other.RemoveRangeAsync(..));
        Assert.False(_db.KeyExists(other.Key));
    }

    [Fact]
    public async Task Writes_keep_the_lists_expiry()
    {
        using var list = new RedisList<string>(_db, Of("abcdefgh"), TestKeys.Unique());
        await _db.KeyExpireAsync(list.Key, TimeSpan.FromHours(1));

        list.Reverse();
        list.SetSlice(0, 1, Of("XYZ"));
        list.SetSlice(null, -1, Of("Q"));
        list.SetSlice(null, null, 2, Of("1"));
        list.RemoveSlice(0, 1);

        Assert.Equal(Of("a"), list.GetRange(..));
        Assert.NotNull(await _db.KeyTimeToLiveAsync(list.Key));
    }

    [Fact]
    public async Task Long_lists_are_sliced_past_luas_argument_limits()
    {
        var items = Enumerable.Range(0, 10_001).ToList();
        using var list = new RedisList<int>(_db, items, TestKeys.Unique());

        await list.SetSliceAsync(1, 2, items);
        var expected = items.Take(1).Concat(items).Concat(items.Skip(2)).ToList();
        Assert.Equal(expected, await list.GetRangeAsync(..));

        // Near the end, so the script rewrites the tail side.
        list.SetSlice(-2, -1, items);
        expected = [.. expected[..^2], .. items, expected[^1]];
        Assert.Equal(expected, await list.GetRangeAsync(..));

        await list.ReverseAsync();
        expected.Reverse();
        Assert.Equal(expected, await list.GetRangeAsync(..));

        Assert.Equal(expected.Where((_, i) => i % 3 == 0), await list.SliceAsync(null, null, 3));
        var kept = expected.Where((_, i) => (expected.Count - 1 - i) % 3 != 0).ToList();
        Assert.Equal(expected.Count - kept.Count, await list.RemoveSliceAsync(null, null, -3));
        Assert.Equal(kept, await list.GetRangeAsync(..));
    }

    [Fact]
    public void A_step_of_zero_is_refused_like_pythons_ValueError()
    {
        using var list = new RedisList<string>(_db, Of("abc"), TestKeys.Unique());
        Assert.Throws<ArgumentOutOfRangeException>(() => list.Slice(null, null, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => list.RemoveSlice(null, null, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => list.SetSlice(null, null, 0, Of("abc")));
        Assert.Equal(Of("abc"), list.GetRange(..));
    }

    [Fact]
    public async Task Count_of_an_element_is_pythons_count()
    {
        using var list = new RedisList<int>(_db, [0, 1, 0, 2, 0], TestKeys.Unique());
        Assert.Equal(3, list.CountOf(0));
        Assert.Equal(0, await list.CountOfAsync(5));
        Assert.Equal(1, list.CountOf(2));

        using var missing = new RedisList<int>(_db, TestKeys.Unique());
        Assert.Equal(0, missing.CountOf(0));
    }

    [Fact]
    public async Task Reverse_reverses_in_place_like_python()
    {
        using var list = new RedisList<string>(_db, ["0", "", "0", "x"], TestKeys.Unique());
        list.Reverse();
        Assert.Equal(["x", "0", "", "0"], list.GetRange(..));

        using var one = new RedisList<string>(_db, ["a"], TestKeys.Unique());
        await one.ReverseAsync();
        Assert.Equal(["a"], one.GetRange(..));

        using var missing = new RedisList<string>(_db, TestKeys.Unique());
        missing.Reverse();
        Assert.False(_db.KeyExists(missing.Key));
    }

    [Fact]
    public async Task A_bounded_deque_refuses_a_slice_assignment_that_would_outgrow_it()
    {
        using var deque = new RedisDeque<int>(_db, [1, 2, 3], TestKeys.Unique(), maxLength: 4);
        deque.SetSlice(0, 1, [7, 8]);
        Assert.Equal([7, 8, 2, 3], deque.GetRange(..));
        await Assert.ThrowsAsync<InvalidOperationException>(() => deque.SetSliceAsync(0, 1, [0, 0]).AsTask());
        Assert.Equal([7, 8, 2, 3], deque.GetRange(..));
    }

    [Fact]
    public async Task Slices_of_another_type_raise_WrongTypeException()
    {
        var key = TestKeys.Unique();
        await _db.HashSetAsync(key, "f", "v");
        using var list = new RedisList<string>(_db, key);

        Assert.Equal("hash", Assert.Throws<WrongTypeException>(() => list.Slice(null, null, -1)).ActualType);
        await Assert.ThrowsAsync<WrongTypeException>(() => list.SetSliceAsync(0, 1, Of("x")).AsTask());
        await Assert.ThrowsAsync<WrongTypeException>(() => list.RemoveSliceAsync(0, 1).AsTask());
        await Assert.ThrowsAsync<WrongTypeException>(() => list.ReverseAsync().AsTask());
        await Assert.ThrowsAsync<WrongTypeException>(() => list.CountOfAsync("v").AsTask());
    }

    [Fact]
    public async Task An_element_that_does_not_decode_is_named_by_its_position_in_the_list()
    {
        var key = TestKeys.Unique();
        await _db.ListRightPushAsync(key, ["1", "2", "3", "4", "five", "6"]);
        using var list = new RedisList<int>(_db, key);

        Assert.Equal([6, 4, 2], list.Slice(null, null, -2));
        Assert.Equal("[4]", Assert.Throws<CodecException>(() => list.Slice(-1, 0, -1)).Field);
        Assert.Equal("[4]", (await Assert.ThrowsAsync<CodecException>(() => list.SliceAsync(2, null, 2).AsTask())).Field);
    }
}

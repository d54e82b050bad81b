using Pottery.Runtime.Tests.Infrastructure;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

public abstract class RedisDequeTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Behaves_like_pottery_readme_deque_example()
    {
        using var d = new RedisDeque<string>(_db, ["g", "h", "i"], TestKeys.Unique());
        d.AddLast("j");
        d.AddFirst("f");

        Assert.Equal(["f", "g", "h", "i", "j"], d.ToList());
        Assert.Equal("j", d.RemoveLast());
        Assert.Equal("f", d.RemoveFirst());
        Assert.Equal(["g", "h", "i"], d.ToList());
        Assert.Equal("g", d[0]);
        Assert.Equal("i", d[-1]);

        d.AddLastRange(["j", "k", "l"]);
        Assert.Equal(["g", "h", "i", "j", "k", "l"], d.ToList());
        d.Rotate(1);
        Assert.Equal(["l", "g", "h", "i", "j", "k"], d.ToList());
        await d.RotateAsync(-1);
        Assert.Equal(["g", "h", "i", "j", "k", "l"], d.ToList());

        d.AddFirstRange(["c", "b", "a"]);
        Assert.Equal(["a", "b", "c", "g", "h", "i", "j", "k", "l"], d.ToList());
    }

    [Theory]
    [InlineData(0, "abcde")]
    [InlineData(2, "deabc")]
    [InlineData(-2, "cdeab")]
    [InlineData(7, "deabc")]
    [InlineData(-12, "cdeab")]
    [InlineData(4, "bcdea")]
    public void Rotate_matches_python_in_both_directions(int steps, string expected)
    {
        using var d = new RedisDeque<char>(_db, "abcde", TestKeys.Unique());
        d.Rotate(steps);
        Assert.Equal(expected, string.Concat(d));
    }

    [Fact]
    public async Task A_bounded_deque_drops_from_the_other_side_atomically()
    {
        using var d = new RedisDeque<int>(_db, [1, 2, 3, 4, 5], TestKeys.Unique(), maxLength: 3);
        Assert.Equal([3, 4, 5], d.ToList());

        d.AddLast(6);
        Assert.Equal([4, 5, 6], d.ToList());
        await d.AddFirstAsync(3);
        Assert.Equal([3, 4, 5], d.ToList());
        d.AddLastRange([10, 11]);
        Assert.Equal([5, 10, 11], d.ToList());
        await d.AddFirstRangeAsync([1, 2]);
        Assert.Equal([2, 1, 5], d.ToList());
        d.Add(9);
        Assert.Equal([1, 5, 9], d.ToList());
        Assert.Equal(3, d.MaxLength);
    }

    [Fact]
    public async Task Insert_into_a_full_bounded_deque_is_refused()
    {
        using var d = new RedisDeque<int>(_db, [1, 2], TestKeys.Unique(), maxLength: 2);

        var error = Assert.Throws<InvalidOperationException>(() => d.Insert(1, 9));
        await Assert.ThrowsAsync<InvalidOperationException>(() => d.InsertAsync(0, 9).AsTask());

        Assert.Contains("maximum size of 2", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2], d.ToList());
        d.RemoveFirst();
        d.Insert(0, 0);
        Assert.Equal([0, 2], d.ToList());
    }

    [Fact]
    public async Task Adding_ranges_of_any_size_is_one_round_trip()
    {
        using var unbounded = new RedisDeque<int>(_db, TestKeys.Unique());
        using var bounded = new RedisDeque<int>(_db, TestKeys.Unique(), maxLength: 100);
        bounded.AddLast(0);

        using var log = CommandLog.Start(redis.Connection);
        unbounded.AddLastRange(Enumerable.Range(0, 10_000));
        await unbounded.AddFirstRangeAsync(Enumerable.Range(0, 10_000));
        bounded.AddLastRange(Enumerable.Range(0, 10_000));

        Assert.Equal(["RPUSH", "LPUSH", "EVAL"], log.Commands.WithScriptsAsEval());
        Assert.Equal(20_000, unbounded.Count);
        Assert.Equal(Enumerable.Range(9_900, 100), bounded.ToList());
    }

    [Fact]
    public async Task Removing_from_an_empty_deque_is_refused_as_LinkedList_refuses()
    {
        using var d = new RedisDeque<int>(_db, TestKeys.Unique());
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Pop());
        Assert.Throws<InvalidOperationException>(() => d.RemoveLast());
        await Assert.ThrowsAsync<InvalidOperationException>(() => d.RemoveFirstAsync().AsTask());
        d.Rotate(3);
        Assert.Empty(d.GetRange(..));
    }

    [Fact]
    public async Task The_ends_are_one_plain_command_each()
    {
        using var d = await RedisDeque<int>.CreateAsync(_db, [1, 2, 3], TestKeys.Unique());

        using var log = CommandLog.Start(redis.Connection);
        Assert.Equal(1, await d.RemoveFirstAsync());
        Assert.Equal(3, d.RemoveLast());
        Assert.Equal(2, d.Pop(0));
        await d.AddFirstAsync(7);
        d.AddLast(8);

        Assert.Equal(["LPOP", "RPOP", "LPOP", "LPUSH", "RPUSH"], log.Commands);
        Assert.Equal([7, 8], d.ToList());
    }

    [Fact]
    public void Negative_max_length_is_an_argument_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisDeque<int>(_db, TestKeys.Unique(), maxLength: -1));

    [Fact]
    public async Task A_deque_of_max_length_zero_stays_empty_like_python_deque_maxlen_0()
    {
        using var d = new RedisDeque<int>(_db, [1, 2], TestKeys.Unique(), maxLength: 0);

        d.AddLast(1);
        await d.AddFirstAsync(2);
        d.AddLastRange([3, 4]);
        await d.AddFirstRangeAsync([5]);

        Assert.Empty(d.ToList());
        Assert.False(await _db.KeyExistsAsync(d.Key));
        Assert.Throws<InvalidOperationException>(() => d.Insert(0, 6));
    }

    [Fact]
    public async Task Opening_a_bounded_deque_over_a_longer_stored_list_is_refused_like_pottery()
    {
        var key = TestKeys.Unique();
        await _db.ListRightPushAsync(key, [1, 2, 3, 4]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RedisDeque<int>(_db, key, maxLength: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisDeque<int>(_db, [], key, maxLength: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RedisDeque<int>.CreateAsync(_db, [], key, maxLength: 2).AsTask());

        Assert.Equal("maxLength", error.ParamName);
        Assert.Contains("holds 4 elements", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, await _db.ListLengthAsync(key));
        using var exact = new RedisDeque<int>(_db, key, maxLength: 4);
        using var unbounded = await RedisDeque<int>.CreateAsync(_db, [], key);
        exact.AddLast(5);
        Assert.Equal([2, 3, 4, 5], unbounded.ToList());
    }

    [Fact]
    public async Task Only_a_bounded_deque_over_a_given_key_reads_its_length_once_when_opened()
    {
        var key = TestKeys.Unique();
        using var log = CommandLog.Start(redis.Connection);

        using var bounded = new RedisDeque<int>(_db, key, maxLength: 3);
        using var unbounded = new RedisDeque<int>(_db, key);
        using var random = new RedisDeque<int>(_db, maxLength: 3);
        bounded.AddLast(1);
        await bounded.AddFirstAsync(0);

        // EXISTS is the random key being chosen, not a check.
        Assert.Equal(["LLEN", "EXISTS", "EVAL", "EVAL"], log.Commands.WithScriptsAsEval());
    }
}

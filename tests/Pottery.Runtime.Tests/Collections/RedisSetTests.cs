using Pottery.Runtime.Tests.Infrastructure;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Collections;

public abstract class RedisSetTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    private RedisSet<string> Letters(string letters, string name = "set") =>
        new(_db, letters.Select(c => c.ToString()), TestKeys.Unique(name));

    private static HashSet<string> Of(string letters) => [.. letters.Select(c => c.ToString())];

    [Fact]
    public void Behaves_like_pottery_readme_basket_example()
    {
        using var basket = new RedisSet<string>(_db, ["apple", "orange", "apple", "pear", "orange", "banana"], TestKeys.Unique("basket"));

        Assert.Equal(["apple", "banana", "orange", "pear"], basket.Order());
        Assert.True(basket.Contains("orange"));
        Assert.False(basket.Contains("crabgrass"));
        Assert.Equal(4, basket.Count);
    }

    [Fact]
    public void Python_set_algebra_from_the_pottery_readme()
    {
        using var a = Letters("abracadabra", "a");
        var b = Of("alacazam");

        Assert.Equal(Of("abrcd"), a.ToHashSet());
        Assert.Equal(Of("rdb"), a.DifferenceOf(b));
        Assert.Equal(Of("abcdrlzm"), a.UnionOf(b));
        Assert.Equal(Of("ac"), a.IntersectionOf(b));
        Assert.Equal(Of("rdblzm"), a.SymmetricDifferenceOf(b));
    }

    [Fact]
    public async Task Algebra_between_two_redis_sets_runs_in_redis_in_one_round_trip()
    {
        // One slot for both, so on a cluster too one script can read both.
        var slot = TestKeys.SlotTag();
        using var a = Letters("abracadabra", slot + "a");
        using var b = Letters("alacazam", slot + "b");
        await a.UnionOfAsync(b);

        using var log = CommandLog.Start(redis.Connection);
        Assert.Equal(Of("ac"), await a.IntersectionOfAsync(b));
        Assert.Equal(Of("rdblzm"), a.SymmetricDifferenceOf(b));
        Assert.True(a.Overlaps(b));
        Assert.False((await a.CompareAsync(b)).IsSubset);

        Assert.Equal(["EVAL", "EVAL", "EVAL", "EVAL"], log.Commands.WithScriptsAsEval());
    }

    [Fact]
    public async Task In_place_algebra_changes_the_set_atomically_in_redis()
    {
        using var a = Letters("abcd", "a");
        using var b = Letters("cdef", "b");

        a.SymmetricExceptWith(b);
        Assert.Equal(Of("abef"), a.ToHashSet());
        await a.IntersectWithAsync(["a", "e", "z"]);
        Assert.Equal(Of("ae"), a.ToHashSet());
        a.UnionWith(b);
        Assert.Equal(Of("acdef"), a.ToHashSet());
        await a.ExceptWithAsync(b);
        Assert.Equal(Of("a"), a.ToHashSet());
        a.IntersectWith([]);
        Assert.Equal(0, a.Count);
        Assert.Equal(Of("cdef"), b.ToHashSet());
        var masters = redis.Connection.GetServers().Where(server => !server.IsReplica);
        Assert.Empty(masters.SelectMany(server => server.Keys(pattern: $"*{a.Key}*:tmp:*").Concat(server.Keys(pattern: $"*{b.Key}*:tmp:*"))));
    }

    [Fact]
    public void Algebra_with_ten_thousand_in_memory_items_is_one_round_trip()
    {
        using var set = new RedisSet<int>(_db, Enumerable.Range(0, 5_000), TestKeys.Unique());
        var items = Enumerable.Range(2_500, 10_000).ToArray();
        set.Overlaps(items);

        using var log = CommandLog.Start(redis.Connection);
        set.IntersectWith(items);
        var comparison = set.Compare(items);

        Assert.Equal(["EVAL", "EVAL"], log.Commands.WithScriptsAsEval());
        Assert.Equal(new SetComparison(2_500, 10_000, 2_500), comparison);
        Assert.True(set.IsProperSubsetOf(items));
        Assert.False(set.IsSupersetOf(items));
    }

    [Fact]
    public void Subset_questions_match_HashSet()
    {
        using var ab = Letters("ab", "ab");
        using var abc = Letters("abc", "abc");
        using var ba = Letters("ba", "ba");

        Assert.True(ab.IsSubsetOf(abc));
        Assert.True(ab.IsProperSubsetOf(abc));
        Assert.True(abc.IsSupersetOf(ab));
        Assert.True(abc.IsProperSupersetOf(ab));
        Assert.True(ab.SetEquals(ba));
        Assert.False(ab.IsProperSubsetOf(ba));
        Assert.True(ab.SetEquals(["a", "b", "a"]));
        Assert.False(ab.Overlaps(["x"]));
    }

    [Fact]
    public async Task Subset_questions_have_async_twins()
    {
        using var ab = Letters("ab", "ab");
        using var abc = Letters("abc", "abc");

        Assert.True(await ab.IsSubsetOfAsync(abc));
        Assert.True(await ab.IsProperSubsetOfAsync(abc));
        Assert.True(await abc.IsSupersetOfAsync(ab));
        Assert.True(await abc.IsProperSupersetOfAsync(ab));
        Assert.True(await ab.SetEqualsAsync(["b", "a"]));
        Assert.True(await ab.OverlapsAsync(["a", "x"]));
        Assert.False(await ab.OverlapsAsync(["x"]));
    }

    [Fact]
    public async Task Algebra_with_a_set_on_another_server_falls_back_to_reading_it()
    {
        await using var other = await RedisServer.StartAsync();
        await using var connection = await other.ConnectAsync();
        using var here = Letters("abc");
        using var there = new RedisSet<string>(connection.GetDatabase(), ["b", "c", "d"], TestKeys.Unique());

        Assert.Equal(Of("bc"), here.IntersectionOf(there));
        Assert.Equal(Of("abcd"), await here.UnionOfAsync(there));
        here.ExceptWith(there);
        Assert.Equal(Of("a"), here.ToHashSet());
        Assert.Equal(Of("bcd"), there.ToHashSet());
    }

    [Fact]
    public async Task ContainsMany_answers_in_argument_order_with_one_SMISMEMBER()
    {
        using var set = new RedisSet<int>(_db, Enumerable.Range(0, 1_000).Where(i => i % 3 == 0), TestKeys.Unique());
        var probes = Enumerable.Range(0, 1_000).Reverse().ToArray();

        using var log = CommandLog.Start(redis.Connection);
        var answers = await set.ContainsManyAsync(probes);

        Assert.Equal(["SMISMEMBER"], log.Commands);
        Assert.Equal(probes.Select(i => i % 3 == 0), answers);
        Assert.Equal([true, false], set.ContainsMany([0, 1]));
        Assert.Empty(set.ContainsMany([]));
    }

    [Fact]
    public async Task Remove_says_whether_the_member_was_there_like_HashSet()
    {
        using var set = Letters("abc");

        Assert.True(set.Remove("a"));
        Assert.False(set.Remove("a"));
        Assert.False(await set.RemoveAsync("zz"));
        Assert.True(await set.RemoveAsync("b"));
        Assert.True(((ICollection<string>)set).Remove("c"));
        Assert.False(((ICollection<string>)set).Remove("c"));
        Assert.Equal(0, await set.CountAsync());
    }

    [Fact]
    public async Task Pop_takes_members_until_empty_then_raises()
    {
        using var set = Letters("abc");

        var popped = new HashSet<string> { set.Pop(), await set.PopAsync() };
        popped.UnionWith(set.Pop(5));

        Assert.Equal(Of("abc"), popped);
        Assert.Throws<KeyNotFoundException>(() => set.Pop());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => set.PopAsync().AsTask());
        Assert.Empty(await set.PopAsync(3));
    }

    [Fact]
    public async Task Adds_count_new_members_and_AddRange_is_one_SADD()
    {
        using var set = new RedisSet<string>(_db, TestKeys.Unique());
        Assert.True(set.Add("ünï"));
        Assert.False(await set.AddAsync("ünï"));

        using var log = CommandLog.Start(redis.Connection);
        Assert.Equal(2, set.AddRange(["ünï", "漢字", "🎉"]));
        Assert.Equal(["SADD"], log.Commands);
        Assert.Equal(0, await set.AddRangeAsync([]));
        Assert.Equal(3, await set.CountAsync());
    }

    [Fact]
    public async Task Enumeration_streams_large_sets()
    {
        using var set = new RedisSet<int>(_db, Enumerable.Range(0, 3_000), TestKeys.Unique());

        var streamed = new List<int>();
        await foreach (var member in set.AsAsyncEnumerable())
        {
            streamed.Add(member);
        }

        Assert.Equal(Enumerable.Range(0, 3_000), streamed.Order());
        Assert.Equal(Enumerable.Range(0, 3_000), set.Order());
    }

    [Fact]
    public void Initial_members_over_an_existing_key_are_refused()
    {
        var key = TestKeys.Unique();
        _db.SetAdd(key, "x");
        Assert.Throws<KeyExistsException>(() => new RedisSet<string>(_db, ["y"], key));
        Assert.Equal(["x"], _db.SetMembers(key).Select(v => v.ToString()));
    }

    [Fact]
    public async Task Wrong_type_undecodable_members_and_cancellation_are_reported()
    {
        var hashKey = TestKeys.Unique("hash");
        await _db.HashSetAsync(hashKey, "f", "v");
        using var wrong = new RedisSet<int>(_db, hashKey);
        var error = Assert.Throws<WrongTypeException>(() => wrong.Add(1));
        Assert.Equal("hash", error.ActualType);
        Assert.Throws<WrongTypeException>(() => wrong.UnionWith([1, 2]));

        var setKey = TestKeys.Unique("set");
        await _db.SetAddAsync(setKey, "not a number");
        using var bad = new RedisSet<int>(_db, setKey);
        Assert.Throws<CodecException>(() => bad.ToHashSet());

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bad.AddAsync(1, cancelled.Token).AsTask());
        Assert.Equal(1, await _db.SetLengthAsync(setKey));
    }

    [Fact]
    public async Task A_killed_server_raises_RedisUnavailableException()
    {
        await using var down = await KilledServer.StartAsync();
        using var set = new RedisSet<string>(down.Database, TestKeys.Unique());

        Assert.Throws<RedisUnavailableException>(() => set.AddRange(["a", "b"]));
        await Assert.ThrowsAsync<RedisUnavailableException>(() => set.IntersectWithAsync(["a"]).AsTask());
    }
}

using System.Collections.Concurrent;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Ids;

public sealed class NextIdTests(RedisMastersFixture masters) : IClassFixture<RedisMastersFixture>
{
    private static string Name() => TestKeys.Unique("ids").ToString();

    [Fact]
    public async Task Ids_start_at_one_and_increase_like_pottery()
    {
        var name = Name();
        var ids = new NextId(name, masters.Databases.Take(3));

        Assert.Equal(1, ids.Next());
        Assert.Equal(2, await ids.NextAsync());
        Assert.Equal(3, ids.Next());
        Assert.Equal("3", (string?)await masters.Databases[0].StringGetAsync("nextid:" + name));

        await ids.ResetAsync();
        Assert.Equal(1, await ids.NextAsync());
        ids.Reset();
        Assert.Equal(1, await new NextId(name, masters.Databases.Take(3)).NextAsync());
    }

    [Fact]
    public async Task Masters_that_forgot_the_script_get_it_again()
    {
        var ids = new NextId(Name(), masters.Databases);
        Assert.Equal(1, await ids.NextAsync());

        await Task.WhenAll(masters.Databases.Select(db => db.Multiplexer.GetServers()[0].ScriptFlushAsync()));

        Assert.Equal(2, await ids.NextAsync());
    }

    [Fact]
    public async Task Ids_stream_as_an_async_sequence()
    {
        var ids = new NextId(Name(), masters.Databases[0]);
        var taken = new List<long>();
        await foreach (var id in ids.AsAsyncEnumerable())
        {
            taken.Add(id);
            if (taken.Count == 5)
            {
                break;
            }
        }

        Assert.Equal([1, 2, 3, 4, 5], taken);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_generator_overlap_and_never_repeat()
    {
        var ids = new NextId(Name(), masters.Databases);

        var issued = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => ids.NextAsync().AsTask()));

        Assert.Equal(200, issued.Distinct().Count());
    }

    [Fact]
    public async Task Eight_generators_drawing_at_once_from_one_master_all_succeed_never_duplicate_and_each_increases()
    {
        var name = Name();
        var generators = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var ids = new NextId(name, masters.Databases[0]);
            var mine = new List<long>();
            for (var i = 0; i < 250; i++)
            {
                mine.Add(await ids.NextAsync());
            }

            return mine;
        })).ToArray();

        var sequences = await Task.WhenAll(generators).WaitAsync(TimeSpan.FromMinutes(2));

        var all = sequences.SelectMany(sequence => sequence).ToList();
        Assert.Equal(2_000, all.Distinct().Count());
        Assert.All(sequences, sequence => Assert.True(sequence.Zip(sequence.Skip(1)).All(pair => pair.First < pair.Second), "a generator's IDs must strictly increase"));
    }

    [Fact]
    public async Task A_generator_proposing_below_the_stored_value_gets_the_next_one_exactly()
    {
        var name = Name();
        await masters.Databases[0].StringSetAsync("nextid:" + name, (1L << 53) + 1);

        Assert.Equal((1L << 53) + 2, await new NextId(name, masters.Databases[0]).NextAsync());
    }

    [Fact]
    public async Task Eight_generators_with_a_master_killed_midway_never_duplicate_and_each_increases()
    {
        await using var three = await RedisMasters.StartAsync(3);
        var name = Name();
        var all = new ConcurrentBag<long>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var issued = 0;

        var generators = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var ids = new NextId(name, three.Databases, maxTries: 10);
            var mine = new List<long>();
            for (var i = 0; i < 500; i++)
            {
                var id = await ids.NextAsync();
                mine.Add(id);
                all.Add(id);
                if (Interlocked.Increment(ref issued) == 2_000)
                {
                    halfway.SetResult();
                }
            }

            return mine;
        })).ToArray();
        await halfway.Task.WaitAsync(TimeSpan.FromMinutes(2));
        three.Servers[1].Kill();

        var sequences = await Task.WhenAll(generators).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(4_000, all.Count);
        Assert.Equal(4_000, all.Distinct().Count());
        Assert.All(sequences, sequence => Assert.True(sequence.Zip(sequence.Skip(1)).All(pair => pair.First < pair.Second), "a generator's IDs must strictly increase"));
    }

    [Fact]
    public async Task Without_a_quorum_of_masters_no_id_is_issued()
    {
        await using var three = await RedisMasters.StartAsync(3);
        var ids = new NextId(Name(), three.Databases);
        Assert.Equal(1, await ids.NextAsync());
        three.Servers[0].Kill();
        three.Servers[2].Kill();

        var error = await Assert.ThrowsAsync<QuorumNotAchievedException>(async () => await ids.NextAsync());

        Assert.Contains("2 of 3 masters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_succeeds_on_a_quorum_of_masters_like_pottery()
    {
        await using var three = await RedisMasters.StartAsync(3);
        var ids = new NextId(Name(), three.Databases);
        Assert.Equal(1, await ids.NextAsync());
        Assert.Equal(2, await ids.NextAsync());
        three.Servers[2].Kill();

        await ids.ResetAsync();

        Assert.Equal(1, await ids.NextAsync());
        ids.Reset();
        Assert.Equal(1, ids.Next());
    }

    [Fact]
    public async Task Reset_without_a_quorum_of_masters_is_a_typed_error_naming_the_cause()
    {
        await using var three = await RedisMasters.StartAsync(3);
        var ids = new NextId(Name(), three.Databases);
        Assert.Equal(1, await ids.NextAsync());
        three.Servers[0].Kill();
        three.Servers[1].Kill();

        var error = await Assert.ThrowsAsync<QuorumNotAchievedException>(async () => await ids.ResetAsync());
        Assert.Throws<QuorumNotAchievedException>(ids.Reset);

        Assert.Contains("1 of 3 masters", error.Message, StringComparison.Ordinal);
        Assert.IsType<RedisUnavailableException>(error.InnerException);
        Assert.Equal(ids.Key.ToString(), error.Key);
    }

    // What pottery's NextID sends each master when it moves the sequence to ARGV[1].
    private const string PotterySetId = """
        local curr = tonumber(redis.call('get', KEYS[1]))
        local next = tonumber(ARGV[1])
        if curr == nil or curr < next then
          redis.call('set', KEYS[1], next)
          return next
        else
          return nil
        end
        """;

    [Fact]
    public async Task After_pottery_advanced_the_sequence_a_lone_generator_continues_at_the_next_id()
    {
        var name = Name();
        var masters3 = masters.Databases.Take(3).ToArray();
        var earlier = new NextId(name, masters3);
        Assert.Equal(1, await earlier.NextAsync());
        Assert.Equal(2, await earlier.NextAsync());
        foreach (var master in masters3)
        {
            await master.ScriptEvaluateAsync(PotterySetId, ["nextid:" + name], [41]);
        }

        Assert.Equal(42, await new NextId(name, masters3).NextAsync());
        Assert.Equal(43, await earlier.NextAsync());
        Assert.Equal(44, earlier.Next());

        // pottery moved on while one master was down: that master is one behind.
        for (var i = 0; i < 2; i++)
        {
            await masters3[i].ScriptEvaluateAsync(PotterySetId, ["nextid:" + name], [60]);
        }

        Assert.Equal(61, await new NextId(name, masters3).NextAsync());
        Assert.Equal(62, await earlier.NextAsync());
    }
}

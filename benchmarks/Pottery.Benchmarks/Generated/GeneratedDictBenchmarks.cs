using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Generated;

/// <summary>A profile stored by the generator's [RedisDict] code.</summary>
[RedisDict(KeyPrefix = "bench:profile")]
public partial class Profile
{
    public partial string Name { get; set; }

    public partial int Visits { get; set; }

    public partial string? Email { get; set; }
}

/// <summary>Generated [RedisDict] accessors next to the same HGET/HSET/HMGET written by hand.</summary>
public class GeneratedDictBenchmarks : RedisBenchmark
{
    private static readonly RedisValue[] Fields = ["Name", "Visits", "Email"];
    private Profile _profile = null!;

    protected override async Task Setup()
    {
        _profile = new Profile(Db, "1");
        await _profile.SaveAsync(new Profile.Snapshot("Ann", 3, "ann@example.com"));
    }

    [Benchmark(Baseline = true)]
    public async Task<string?> RawGet() => (string?)await Db.HashGetAsync(_profile.Key, "Name");

    [Benchmark]
    public ValueTask<string> GeneratedGet() => _profile.GetNameAsync();

    [Benchmark]
    public Task<bool> RawSet() => Db.HashSetAsync(_profile.Key, "Name", "Ann");

    [Benchmark]
    public ValueTask GeneratedSet() => _profile.SetNameAsync("Ann");

    [Benchmark]
    public async Task<(string?, int, string?)> RawLoad()
    {
        var raw = await Db.HashGetAsync(_profile.Key, Fields);
        return ((string?)raw[0], (int)raw[1], (string?)raw[2]);
    }

    [Benchmark]
    public ValueTask<Profile.Snapshot> GeneratedLoad() => _profile.LoadAsync();
}

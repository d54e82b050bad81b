using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Generated;

/// <summary>
/// The same comparison with <see cref="Batch"/> calls in flight at once: one round trip's jitter
/// (20–30% on this machine) is shared by the batch, so what differs per call is the client's own
/// work, which is what the generator could add.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "Each ValueTask is kept only until it is awaited, once, in the same method.")]
public class GeneratedDictBatchBenchmarks : RedisBenchmark
{
    internal const int Batch = 64;
    private static readonly RedisValue[] Fields = ["Name", "Visits", "Email"];
    private readonly Task<RedisValue>[] _raw = new Task<RedisValue>[Batch];
    private readonly Task<bool>[] _rawSet = new Task<bool>[Batch];
    private readonly Task<RedisValue[]>[] _rawLoad = new Task<RedisValue[]>[Batch];
    private readonly Task<string?>[] _byHand = new Task<string?>[Batch];
    private readonly Task<(string? Name, int Visits, string? Email)>[] _byHandLoad = new Task<(string? Name, int Visits, string? Email)>[Batch];
    private readonly ValueTask<string>[] _generated = new ValueTask<string>[Batch];
    private readonly ValueTask[] _generatedSet = new ValueTask[Batch];
    private readonly ValueTask<Profile.Snapshot>[] _generatedLoad = new ValueTask<Profile.Snapshot>[Batch];
    private Profile _profile = null!;

    protected override async Task Setup()
    {
        _profile = new Profile(Db, "batch");
        await _profile.SaveAsync(new Profile.Snapshot("Ann", 3, "ann@example.com"));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public async Task<int> RawGet()
    {
        for (var i = 0; i < Batch; i++)
        {
            _raw[i] = Db.HashGetAsync(_profile.Key, "Name");
        }

        var length = 0;
        for (var i = 0; i < Batch; i++)
        {
            length += ((string?)await _raw[i])!.Length;
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> GeneratedGet()
    {
        for (var i = 0; i < Batch; i++)
        {
            _generated[i] = _profile.GetNameAsync();
        }

        var length = 0;
        for (var i = 0; i < Batch; i++)
        {
            length += (await _generated[i]).Length;
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task RawSet()
    {
        for (var i = 0; i < Batch; i++)
        {
            _rawSet[i] = Db.HashSetAsync(_profile.Key, "Name", "Ann");
        }

        for (var i = 0; i < Batch; i++)
        {
            await _rawSet[i];
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task GeneratedSet()
    {
        for (var i = 0; i < Batch; i++)
        {
            _generatedSet[i] = _profile.SetNameAsync("Ann");
        }

        for (var i = 0; i < Batch; i++)
        {
            await _generatedSet[i];
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> RawLoad()
    {
        for (var i = 0; i < Batch; i++)
        {
            _rawLoad[i] = Db.HashGetAsync(_profile.Key, Fields);
        }

        var visits = 0;
        for (var i = 0; i < Batch; i++)
        {
            var raw = await _rawLoad[i];
            (string? Name, int Visits, string? Email) row = ((string?)raw[0], (int)raw[1], (string?)raw[2]);
            visits += row.Visits;
        }

        return visits;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> GeneratedLoad()
    {
        for (var i = 0; i < Batch; i++)
        {
            _generatedLoad[i] = _profile.LoadAsync();
        }

        var visits = 0;
        for (var i = 0; i < Batch; i++)
        {
            visits += (await _generatedLoad[i]).Visits;
        }

        return visits;
    }

    /// <summary>The accessor a user writes without the generator: the bare command plus the conversion, in an async method.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> HandWrittenGet()
    {
        for (var i = 0; i < Batch; i++)
        {
            _byHand[i] = NameByHandAsync();
        }

        var length = 0;
        for (var i = 0; i < Batch; i++)
        {
            length += (await _byHand[i])!.Length;
        }

        return length;
    }

    /// <summary>A hand-written snapshot load: HMGET and the conversions, in an async method.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> HandWrittenLoad()
    {
        for (var i = 0; i < Batch; i++)
        {
            _byHandLoad[i] = LoadByHandAsync();
        }

        var visits = 0;
        for (var i = 0; i < Batch; i++)
        {
            visits += (await _byHandLoad[i]).Visits;
        }

        return visits;
    }

    private async Task<string?> NameByHandAsync() => (string?)await Db.HashGetAsync(_profile.Key, "Name").ConfigureAwait(false);

    private async Task<(string? Name, int Visits, string? Email)> LoadByHandAsync()
    {
        var raw = await Db.HashGetAsync(_profile.Key, Fields).ConfigureAwait(false);
        return ((string?)raw[0], (int)raw[1], (string?)raw[2]);
    }
}

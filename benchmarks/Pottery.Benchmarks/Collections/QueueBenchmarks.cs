using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Collections;

/// <summary>An enqueue followed by a non-waiting dequeue, next to RPUSH + LPOP written by hand.</summary>
public class QueueBenchmarks : RedisBenchmark
{
    private RedisSimpleQueue<string> _queue = null!;

    protected override Task Setup()
    {
        _queue = new RedisSimpleQueue<string>(Db, "bench:queue");
        return Task.CompletedTask;
    }

    [Benchmark(Baseline = true)]
    public async Task<RedisValue> RawPutGet()
    {
        await Db.ListRightPushAsync("bench:queue", "job");
        return await Db.ListLeftPopAsync("bench:queue");
    }

    [Benchmark]
    public async Task<string?> PotteryPutGet()
    {
        await _queue.EnqueueAsync("job");
        return (await _queue.TryDequeueAsync()).Item;
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Messaging;

/// <summary>
/// Publish → receive latency of one message on a <see cref="RedisTopic{T}"/>, against the same through
/// StackExchange.Redis' own pub/sub (<c>PublishAsync</c> and a <see cref="ChannelMessageQueue"/>).
/// Each iteration is one message, so the Median, P95 and P99 columns are per-message latencies.
/// </summary>
[Config(typeof(LatencyConfig))]
public class TopicLatencyBenchmarks : RedisBenchmark
{
    private ISubscriber _subscriber = null!;
    private ChannelMessageQueue _raw = null!;
    private RedisChannel _rawChannel;
    private RedisTopic<int> _topic = null!;
    private RedisTopicSubscription<int> _subscription = null!;
    private IAsyncEnumerator<int> _received = null!;
    private int _next;

    protected override async Task Setup()
    {
        _subscriber = Db.Multiplexer.GetSubscriber();
        _rawChannel = RedisChannel.Literal("bench:raw-topic");
        _raw = await _subscriber.SubscribeAsync(_rawChannel);
        _topic = new RedisTopic<int>(Db, "bench:topic");
        _subscription = await _topic.SubscribeAsync();
        _received = _subscription.GetAsyncEnumerator();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> RawPublishReceive()
    {
        var published = _subscriber.PublishAsync(_rawChannel, ++_next);
        var message = await _raw.ReadAsync();
        await published;
        return (int)message.Message;
    }

    [Benchmark]
    public async Task<int> PotteryPublishReceive()
    {
        var published = _topic.PublishAsync(++_next);
        await _received.MoveNextAsync();
        await published;
        return _received.Current;
    }

    /// <summary>One message per iteration, many iterations, and the tail percentiles shown.</summary>
    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(200).WithIterationCount(2000).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, new PercentileColumn(99));
        }
    }

    /// <summary>A percentile of the iterations' times, for the percentiles BenchmarkDotNet has no column of.</summary>
    private sealed class PercentileColumn(int percentile) : IColumn
    {
        public string Id => $"P{percentile}";

        public string ColumnName => $"P{percentile}";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Statistics;

        public int PriorityInCategory => percentile;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Time;

        public string Legend => $"{percentile}th percentile of the iterations' times";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            summary[benchmarkCase]?.ResultStatistics is { } statistics
                ? $"{statistics.Percentiles.Percentile(percentile) / 1000:N1} us"
                : "NA";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}

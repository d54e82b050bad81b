using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Messaging;

/// <summary>
/// Reliable topic throughput with <see cref="Subscribers"/> subscribers: <see cref="Messages"/> messages
/// published at once, then received and acknowledged one by one by each of <see cref="Subscribers"/>
/// consumer groups (one consumer each, all at the same time), so every subscriber sees every message,
/// as a topic's subscribers do. The baseline is the same work written by hand: XADD, then per group a
/// loop of XREADGROUP (<see cref="BatchSize"/> at a time) and one XACK per message. An operation is
/// one message received and acknowledged by one subscriber.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "Each ValueTask is kept only until it is awaited, once, in the same method.")]
public class ReliableTopicBenchmarks : RedisBenchmark
{
    internal const int Subscribers = 4;
    internal const int Messages = 64;
    internal const int Deliveries = Subscribers * Messages;
    private const int BatchSize = 16;
    private const int MaxLength = 10_000;
    private const string RawKey = "bench:raw-topic";
    private readonly Task<RedisValue>[] _rawPublishes = new Task<RedisValue>[Messages];
    private readonly ValueTask<string>[] _publishes = new ValueTask<string>[Messages];
    private readonly Task[] _consumers = new Task[Subscribers];
    private RedisReliableTopic<int> _topic = null!;
    private ReliableTopicSubscription<int>[] _subscriptions = null!;

    protected override async Task Setup()
    {
        _topic = new RedisReliableTopic<int>(Db, "bench:topic", maxLength: MaxLength);
        _subscriptions = new ReliableTopicSubscription<int>[Subscribers];
        for (var i = 0; i < Subscribers; i++)
        {
            await Db.StreamCreateConsumerGroupAsync(RawKey, Group(i), StreamPosition.NewMessages, createStream: true);
            await _topic.CreateGroupAsync(Group(i), TopicPosition.NewMessages);
            _subscriptions[i] = _topic.Subscribe(Group(i), "consumer", BatchSize);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Deliveries)]
    public async Task RawXReadGroupXAck()
    {
        for (var i = 0; i < Messages; i++)
        {
            _rawPublishes[i] = Db.StreamAddAsync(RawKey, "message", i, maxLength: MaxLength, useApproximateMaxLength: true);
        }

        await Task.WhenAll(_rawPublishes);
        for (var i = 0; i < Subscribers; i++)
        {
            _consumers[i] = RawConsumeAsync(Group(i));
        }

        await Task.WhenAll(_consumers);
    }

    [Benchmark(OperationsPerInvoke = Deliveries)]
    public async Task PotteryReliableTopic()
    {
        for (var i = 0; i < Messages; i++)
        {
            _publishes[i] = _topic.PublishAsync(i);
        }

        for (var i = 0; i < Messages; i++)
        {
            await _publishes[i];
        }

        for (var i = 0; i < Subscribers; i++)
        {
            _consumers[i] = ConsumeAsync(_subscriptions[i]);
        }

        await Task.WhenAll(_consumers);
    }

    private static string Group(int i) => "group-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task ConsumeAsync(ReliableTopicSubscription<int> subscription)
    {
        var sum = 0L;
        for (var received = 0; received < Messages; received++)
        {
            var delivery = await subscription.ReceiveAsync();
            sum += delivery.Value;
            await delivery.AcknowledgeAsync();
        }

        GC.KeepAlive(sum);
    }

    private async Task RawConsumeAsync(string group)
    {
        var sum = 0L;
        for (var received = 0; received < Messages;)
        {
            foreach (var entry in await Db.StreamReadGroupAsync(RawKey, group, "consumer", StreamPosition.NewMessages, BatchSize))
            {
                sum += (int)entry["message"];
                await Db.StreamAcknowledgeAsync(RawKey, group, entry.Id);
                received++;
            }
        }

        GC.KeepAlive(sum);
    }
}

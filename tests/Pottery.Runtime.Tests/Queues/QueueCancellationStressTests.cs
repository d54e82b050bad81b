using System.Diagnostics;
using Pottery.Testing.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>
/// 20,000 items through each kind of queue, bounded and not, by 4 producers and 4 consumers, with 30%
/// of the gets cancelled 0–3 ms after they start (many while their command is out): nothing is lost
/// or duplicated, the bound holds as the server counts, and <see cref="RedisQueue{T}.Join"/> returns.
/// </summary>
public sealed class QueueCancellationStressTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int Items = 20_000;
    private const int Workers = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(QueueKind.Simple, 0)]
    [InlineData(QueueKind.Fifo, 0)]
    [InlineData(QueueKind.Fifo, 20)]
    [InlineData(QueueKind.Lifo, 0)]
    [InlineData(QueueKind.Lifo, 20)]
    [InlineData(QueueKind.Priority, 0)]
    [InlineData(QueueKind.Priority, 20)]
    public async Task Cancelled_gets_lose_nothing_and_the_bound_holds(string kind, int capacity)
    {
        var key = TestKeys.Unique();
        await redis.Connection.GetServer(redis.Server.Endpoint).ConfigResetStatisticsAsync();
        await using var q = QueueKind.Open(kind, redis.Database, key, capacity, TimeSpan.FromSeconds(1));
        using var watch = BoundWatch.Start(redis.Database, kind, key);
        var received = new int[Items];
        var taken = 0;
        var cancelled = 0;
        var clock = Stopwatch.StartNew();

        var producers = Enumerable.Range(0, Workers).Select(p => Task.Run(async () =>
        {
            for (var i = p; i < Items; i += Workers)
            {
                await q.EnqueueAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }));
        var consumers = Enumerable.Range(0, Workers).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (Volatile.Read(ref taken) < Items)
            {
                using var cancel = random.NextDouble() < 0.3 ? new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 4))) : null;
                try
                {
                    var item = await TakeAsync(q, cancel?.Token ?? CancellationToken.None);
                    if (item is not null)
                    {
                        Interlocked.Increment(ref received[int.Parse(item, System.Globalization.CultureInfo.InvariantCulture)]);
                        Interlocked.Increment(ref taken);
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                }
            }
        }));
        await Task.WhenAll([.. producers, .. consumers]).WaitAsync(Deadline);
        if (q.Fifo is not null)
        {
            await q.Fifo.JoinAsync().AsTask().WaitAsync(Deadline);
            Assert.Equal(0, await q.Fifo.InFlightCountAsync());
        }

        var most = await watch.StopAsync();
        var lost = received.Count(n => n == 0);
        var duplicated = received.Count(n => n > 1);
        output.WriteLine($"{kind}, capacity {capacity}: {Items} items, {lost} lost, {duplicated} duplicated, {cancelled} gets cancelled, {await GivenBackAsync(kind)} taken items given back, at most {most} waiting, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, await q.CountAsync());
        if (capacity > 0)
        {
            Assert.InRange(most, 0, capacity);
        }
    }

    // Every put-back is one more push than there are items (for an at-least-once queue: one more ZADD than deliveries of new items).
    private async Task<long> GivenBackAsync(string kind)
    {
        var stats = await redis.Connection.GetServer(redis.Server.Endpoint).InfoAsync("commandstats");
        long Calls(string command) =>
            stats.SelectMany(group => group).Where(pair => pair.Key == "cmdstat_" + command)
                .Select(pair => long.Parse(pair.Value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
        return kind switch
        {
            QueueKind.Simple => Calls("lpush"),
            QueueKind.Lifo => Calls("rpush") - Items,
            _ => Calls("zadd") - Items,
        };
    }

    // A get that may wait up to 200 ms; an at-least-once queue's delivery is acknowledged at once.
    private static async Task<string?> TakeAsync(AnyQueue q, CancellationToken cancellationToken)
    {
        if (q.Fifo is null)
        {
            var (found, item) = await q.TryDequeueAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
            return found ? item : null;
        }

        var (delivered, delivery) = await q.Fifo.TryDequeueAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
        if (!delivered)
        {
            return null;
        }

        Assert.True(await q.Fifo.AcknowledgeAsync(delivery!, CancellationToken.None));
        return delivery!.Value;
    }
}

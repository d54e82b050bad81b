using System.Diagnostics;
using System.Globalization;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>
/// At-least-once delivery through faults on a real server of each test's own: a take whose reply is
/// lost with its connection, consumers that die holding deliveries, a kill -9 and restart from an
/// append-only file, a long pause.
/// </summary>
public sealed class RedisQueueFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_take_whose_reply_is_lost_is_handed_out_again_and_the_next_acknowledgement_finishes_the_right_item()
    {
        await using var server = await RedisServer.StartAsync();
        await using var admin = await server.ConnectAsync();
        await using var consumerConnection = await server.ConnectAsync();
        await using var killer = await server.ConnectAsync();
        for (var attempt = 1; ; attempt++)
        {
            var key = TestKeys.Unique();
            using var producer = new RedisQueue<string>(admin.GetDatabase(), key, visibilityTimeout: TimeSpan.FromSeconds(1));
            using var consumer = new RedisQueue<string>(consumerConnection.GetDatabase(), key, visibilityTimeout: TimeSpan.FromSeconds(1));
            await producer.EnqueueAsync("A");
            await producer.EnqueueAsync("B");
            var consumerId = (long)await consumerConnection.GetDatabase().ExecuteAsync("CLIENT", "ID");
            var consumerPort = await ClientPortAsync(consumerConnection);
            var killerPort = await ClientPortAsync(killer);

            // The take and the kill both wait in the paused server's sockets; resumed, it runs the
            // take and, in the same turn of its event loop, kills the connection the reply was to go down.
            Task<(bool Found, QueueDelivery<string>? Item)> take;
            Task<RedisResult> kill;
            server.Pause();
            try
            {
                take = consumer.TryDequeueAsync(Deadline).AsTask();
                await ArrivedAsync(server.Port, consumerPort);
                kill = killer.GetDatabase().ExecuteAsync("CLIENT", "KILL", "ID", consumerId);
                await ArrivedAsync(server.Port, killerPort);
            }
            finally
            {
                server.Resume();
            }

            Assert.Equal(1, (long)await kill);
            var failure = await Record.ExceptionAsync(() => take);
            var inFlight = await producer.InFlightCountAsync();
            output.WriteLine($"Attempt {attempt}: the take ended with {failure?.GetType().Name ?? "its reply"}; {inFlight} in flight.");
            if (failure is null || inFlight == 0)
            {
                // The reply went out before the kill, or the kill came first and the take never ran: again.
                Assert.True(attempt < 10, "The take and the kill never met as wanted.");
                continue;
            }

            Assert.IsType<RedisUnavailableException>(failure);
            output.WriteLine($"The take ran and its reply was lost on attempt {attempt}.");
            var b = await Eventually.SucceedsAsync(async () => await consumer.DequeueAsync(), Deadline);
            Assert.Equal(("B", 1), (b.Value, b.DeliveryCount));
            Assert.True(await consumer.AcknowledgeAsync(b));
            Assert.Equal(1, await producer.InFlightCountAsync());
            Assert.Equal(["A"], (await admin.GetDatabase().HashValuesAsync(DerivedKey.For(key, "in-flight"))).Select(v => (string?)v));

            var a = await consumer.DequeueAsync().AsTask().WaitAsync(Deadline);
            Assert.Equal(("A", 2), (a.Value, a.DeliveryCount));
            Assert.True(await consumer.AcknowledgeAsync(a));
            await producer.JoinAsync().AsTask().WaitAsync(Deadline);
            return;
        }
    }

    [Fact]
    public async Task Producers_and_consumers_lose_nothing_through_crashes_a_kill_and_restart_from_the_append_only_file_and_a_long_pause()
    {
        const int Items = 20_000;
        const int Workers = 4;
        const double CrashRate = 0.01;
        await using var server = await RedisServer.StartAsync("--appendonly", "yes", "--appendfsync", "always");
        await using var producerConnection = await server.ConnectAsync();
        await using var consumerConnection = await server.ConnectAsync();
        var key = TestKeys.Unique();
        var visibility = TimeSpan.FromSeconds(2);
        using var producer = new RedisQueue<int>(producerConnection.GetDatabase(), key, visibilityTimeout: visibility);
        var received = new int[Items];
        var finished = new int[Items];
        var unansweredAcknowledgements = new int[Items];
        var done = 0;
        var counts = new FaultCounts();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        var producers = Enumerable.Range(0, Workers).Select(p => Task.Run(async () =>
        {
            for (var i = p; i < Items; i += Workers)
            {
                while (true)
                {
                    try
                    {
                        await producer.EnqueueAsync(i);
                        break;
                    }
                    catch (RedisUnavailableException)
                    {
                        // Stored or not: sent again, it may be there twice.
                        Interlocked.Increment(ref counts.UncertainEnqueues);
                        await Task.Delay(50);
                    }
                }
            }
        })).ToArray();
        var consumers = Enumerable.Range(0, Workers).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            var consumer = new RedisQueue<int>(consumerConnection.GetDatabase(), key, visibilityTimeout: visibility);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (found, delivery) = await consumer.TryDequeueAsync(TimeSpan.FromMilliseconds(500));
                    if (!found)
                    {
                        continue;
                    }

                    Interlocked.Increment(ref received[delivery!.Value]);
                    if (random.NextDouble() < CrashRate)
                    {
                        // Dies holding the delivery; a new consumer takes its place.
                        Interlocked.Increment(ref counts.Crashes);
                        consumer = new RedisQueue<int>(consumerConnection.GetDatabase(), key, visibilityTimeout: visibility);
                        continue;
                    }

                    bool acknowledged;
                    try
                    {
                        acknowledged = await consumer.AcknowledgeAsync(delivery);
                    }
                    catch (RedisUnavailableException)
                    {
                        // Sent, maybe run, reply lost: the item may be finished, or handed out again.
                        Interlocked.Increment(ref unansweredAcknowledgements[delivery.Value]);
                        throw;
                    }

                    if (acknowledged)
                    {
                        if (Interlocked.Increment(ref finished[delivery.Value]) == 1)
                        {
                            Interlocked.Increment(ref done);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref counts.RefusedAcknowledgements);
                    }
                }
                catch (RedisUnavailableException)
                {
                    Interlocked.Increment(ref counts.FailedCalls);
                    await Task.Delay(50);
                }
            }
        })).ToArray();

        await UntilAsync(() => Volatile.Read(ref done) >= Items / 4);
        server.Kill();
        await server.RestartAsync();
        output.WriteLine($"Killed and restarted at {clock.Elapsed.TotalSeconds:F1} s with {Volatile.Read(ref done)} items finished.");
        await UntilAsync(() => Volatile.Read(ref done) >= Items / 2);
        server.Pause();
        await Task.Delay(TimeSpan.FromSeconds(15));
        server.Resume();
        output.WriteLine($"Paused for 15 s until {clock.Elapsed.TotalSeconds:F1} s with {Volatile.Read(ref done)} items finished.");

        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromMinutes(3));
        await Eventually.SucceedsAsync(
            async () =>
            {
                await producer.JoinAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(3));
                return true;
            },
            TimeSpan.FromMinutes(3));
        await stop.CancelAsync();
        await Task.WhenAll(consumers).WaitAsync(Deadline);

        // Join returned, so nothing is waiting or in flight: an item never acknowledged with an answer
        // was finished by an acknowledgement whose answer was lost, or it is lost.
        var unanswered = Enumerable.Range(0, Items).Count(i => finished[i] == 0 && unansweredAcknowledgements[i] > 0);
        var lost = Enumerable.Range(0, Items).Where(i => finished[i] == 0 && unansweredAcknowledgements[i] == 0).ToArray();
        var duplicates = received.Sum(n => Math.Max(0, n - 1));
        var allowed = counts.Crashes + counts.RefusedAcknowledgements + counts.FailedCalls + counts.UncertainEnqueues;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Items} items in {clock.Elapsed.TotalSeconds:F1} s: {lost.Length} lost, {unanswered} finished by an acknowledgement whose answer was lost, {duplicates} duplicate deliveries; {counts.Crashes} consumer crashes, {counts.RefusedAcknowledgements} acknowledgements refused, {counts.FailedCalls} calls failed, {counts.UncertainEnqueues} enqueues retried."));
        Assert.Empty(lost);
        Assert.InRange(duplicates, 0, allowed);
        Assert.Equal(0, await producer.InFlightCountAsync());
        Assert.Equal(0, await producer.CountAsync());
    }

    private static Task<bool> UntilAsync(Func<bool> condition) =>
        Eventually.SucceedsAsync(() => Task.FromResult(condition() ? true : throw new InvalidOperationException("Not yet.")), TimeSpan.FromMinutes(2));

    // The local port of a connection's interactive socket, as the server lists it.
    private static async Task<int> ClientPortAsync(ConnectionMultiplexer connection)
    {
        var info = (string)(await connection.GetDatabase().ExecuteAsync("CLIENT", "INFO"))!;
        var address = info.Split(' ').Single(field => field.StartsWith("addr=", StringComparison.Ordinal));
        return int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    // Bytes from the client's port wait in the paused server's socket (the kernel's receive queue),
    // so the server reads them in the order they came when it resumes.
    private static Task<bool> ArrivedAsync(int serverPort, int clientPort) =>
        Eventually.SucceedsAsync(
            () => Task.FromResult(File.ReadLines("/proc/net/tcp").Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Any(fields =>
                PortOf(fields[1]) == serverPort && PortOf(fields[2]) == clientPort && Convert.ToInt64(fields[4].Split(':')[1], 16) > 0)
                ? true
                : throw new InvalidOperationException("Nothing arrived yet.")),
            Deadline);

    private static int PortOf(string address) => Convert.ToInt32(address[(address.IndexOf(':', StringComparison.Ordinal) + 1)..], 16);

    private sealed class FaultCounts
    {
        public int Crashes;
        public int RefusedAcknowledgements;
        public int FailedCalls;
        public int UncertainEnqueues;
    }
}

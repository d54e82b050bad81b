using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Hosting;

/// <summary>
/// The hosted consumer inside a real generic host: it processes and acknowledges every item, hands
/// failed items out again, and on shutdown gives back the item it was working on.
/// </summary>
public sealed class QueueConsumerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_consumer_processes_every_item_once_and_acknowledges_it()
    {
        const int Items = 60;
        var key = TestKeys.Unique("jobs").ToString();
        var journal = new Journal(Items);
        using var host = Host(journal, p => p.AddQueue<int>(key).AddQueueConsumer<int, RecordingHandler>(key, concurrency: 4));
        await host.StartAsync();
        var queue = host.Services.GetRequiredKeyedService<RedisQueue<int>>(key);

        for (var i = 0; i < Items; i++)
        {
            await queue.EnqueueAsync(i);
        }

        await journal.Done.Task.WaitAsync(Deadline);
        await queue.JoinAsync().AsTask().WaitAsync(Deadline);
        await host.StopAsync();

        Assert.Equal(Enumerable.Range(0, Items), journal.Handled.Keys.Cast<int>().Order());
        Assert.All(journal.Handled.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, await queue.CountAsync());
        Assert.Equal(0, await queue.InFlightCountAsync());
        Assert.Equal(Items, journal.Scopes.Distinct().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_item_whose_handler_fails_is_handed_out_again_and_then_acknowledged(bool abandonOnFailure)
    {
        const int Items = 5;
        var key = TestKeys.Unique("flaky").ToString();
        var journal = new Journal(Items) { FailFirstTry = true };
        using var host = Host(journal, p => p
            .AddQueue<int>(key, visibilityTimeout: TimeSpan.FromMilliseconds(300))
            .AddQueueConsumer<int, RecordingHandler>(key, concurrency: 2, abandonOnFailure: abandonOnFailure));
        await host.StartAsync();
        var queue = host.Services.GetRequiredKeyedService<RedisQueue<int>>(key);

        for (var i = 0; i < Items; i++)
        {
            await queue.EnqueueAsync(i);
        }

        await journal.Done.Task.WaitAsync(Deadline);
        await queue.JoinAsync().AsTask().WaitAsync(Deadline);
        await host.StopAsync();

        Assert.Equal(Enumerable.Range(0, Items), journal.Handled.Keys.Cast<int>().Order());
        Assert.All(journal.Handled.Values, count => Assert.Equal(2, count));
        Assert.Equal(0, await queue.InFlightCountAsync());
    }

    [Fact]
    public async Task Stopping_the_host_hands_the_item_in_progress_back_to_the_queue()
    {
        var key = TestKeys.Unique("slow").ToString();
        var journal = new Journal(1) { WaitForCancellation = true };
        using var host = Host(journal, p => p.AddQueue<string>(key).AddQueueConsumer<string, WaitingHandler>(key));
        await host.StartAsync();
        var queue = host.Services.GetRequiredKeyedService<RedisQueue<string>>(key);

        await queue.EnqueueAsync("long job");
        await journal.Started.Task.WaitAsync(Deadline);
        Assert.Equal(1, await queue.InFlightCountAsync());
        await host.StopAsync();

        // Handed back at once, not left for the 30 s visibility timeout.
        var (found, again) = await queue.TryDequeueAsync(TimeSpan.FromSeconds(5));
        Assert.True(found);
        Assert.Equal("long job", again!.Value);
        Assert.Equal(2, again.DeliveryCount);
        Assert.True(await queue.AcknowledgeAsync(again));
    }

    [Fact]
    public async Task Consumers_of_the_same_types_on_two_queues_both_run()
    {
        var (left, right) = (TestKeys.Unique("left").ToString(), TestKeys.Unique("right").ToString());
        var journal = new Journal(2);
        using var host = Host(journal, p => p
            .AddQueueConsumer<int, RecordingHandler>(left)
            .AddQueueConsumer<int, RecordingHandler>(right));
        await host.StartAsync();

        await host.Services.GetRequiredKeyedService<RedisQueue<int>>(left).EnqueueAsync(1);
        await host.Services.GetRequiredKeyedService<RedisQueue<int>>(right).EnqueueAsync(2);
        await journal.Done.Task.WaitAsync(Deadline);
        await host.StopAsync();

        Assert.Equal([1, 2], journal.Handled.Keys.Cast<int>().Order());
    }

    private IHost Host(Journal journal, Action<IPotteryBuilder> register)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Pottery:ConnectionString", redis.Endpoint)]);
        builder.Services.AddSingleton(journal);
        register(builder.Services.AddPottery());
        return builder.Build();
    }

    /// <summary>What the handlers saw, shared by every scope.</summary>
    private sealed class Journal(int expected)
    {
        public bool FailFirstTry { get; init; }

        public bool WaitForCancellation { get; init; }

        public ConcurrentDictionary<object, int> Handled { get; } = new();

        public ConcurrentBag<Guid> Scopes { get; } = [];

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private int _succeeded;

        public void Succeeded()
        {
            if (Interlocked.Increment(ref _succeeded) == expected)
            {
                Done.TrySetResult();
            }
        }
    }

    private sealed class RecordingHandler(Journal journal) : IQueueHandler<int>
    {
        private readonly Guid _scope = Guid.NewGuid();

        public ValueTask HandleAsync(int item, CancellationToken cancellationToken)
        {
            journal.Scopes.Add(_scope);
            var tries = journal.Handled.AddOrUpdate(item, 1, (_, count) => count + 1);
            if (journal.FailFirstTry && tries == 1)
            {
                throw new InvalidOperationException($"item {item} fails the first time");
            }

            journal.Succeeded();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class WaitingHandler(Journal journal) : IQueueHandler<string>
    {
        public async ValueTask HandleAsync(string item, CancellationToken cancellationToken)
        {
            journal.Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Telemetry;

// The logger factory is process-wide: these tests run alone, after the parallel ones, so nothing replaces it under them.
[CollectionDefinition(nameof(LogEventTests), DisableParallelization = true)]
public sealed class LogEventCollection;

[Collection(nameof(LogEventTests))]
public sealed class LogEventTests : IClassFixture<RedisServerFixture>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly RedisServerFixture _redis;
    private readonly TestLoggerFactory _logs = new();

    public LogEventTests(RedisServerFixture redis)
    {
        _redis = redis;
        PotteryTelemetry.UseLoggerFactory(_logs);
    }

    public void Dispose() => PotteryTelemetry.UseLoggerFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    [Fact]
    public async Task A_lock_whose_validity_runs_out_logs_that_it_was_lost_when_its_LostToken_fires()
    {
        var name = TestKeys.Unique("lock").ToString();
        using var telemetry = new TelemetryCollector();
        await using var handle = await new Redlock(name, _redis.Database, autoReleaseTime: TimeSpan.FromMilliseconds(200)).AcquireAsync();
        var lost = new TaskCompletionSource();
        using var registration = handle.LostToken.Register(lost.SetResult);

        await lost.Task.WaitAsync(Deadline);

        var entry = await LoggedAsync(1001, name);
        Assert.Equal(("Pottery.Locking", LogLevel.Warning, "LockLost"), (entry.Category, entry.Level, entry.EventId.Name));
        Assert.Equal($"Lost the lock '{name}': its validity ran out while it was held, so another holder may have it now.", entry.Message);
        Assert.Contains(new KeyValuePair<string, object?>("LockName", name), entry.State);
        Assert.Single(telemetry.InScope("pottery.lock.lost"));
    }

    [Fact]
    public async Task A_lock_released_after_its_validity_ran_out_logs_that_it_was_lost_once()
    {
        var name = TestKeys.Unique("lock").ToString();
        var handle = await new Redlock(name, _redis.Database, autoReleaseTime: TimeSpan.FromMilliseconds(100)).AcquireAsync();
        // Nobody reads LostToken, so the loss is noticed only at the release.
        await Eventually.SucceedsAsync(() => handle.Expired ? Task.FromResult(true) : throw new InvalidOperationException("still valid"), Deadline);
        Assert.Empty(Logged(1001, name));

        await handle.DisposeAsync();
        await handle.DisposeAsync();

        Assert.Single(Logged(1001, name));
    }

    [Fact]
    public async Task A_watchdog_that_cannot_renew_logs_its_failure_and_the_loss()
    {
        var name = TestKeys.Unique("lock").ToString();
        await using var handle = await new Redlock(name, _redis.Database, autoReleaseTime: TimeSpan.FromMilliseconds(300)) { AutoExtend = true }.AcquireAsync();
        var lost = new TaskCompletionSource();
        using var registration = handle.LostToken.Register(lost.SetResult);

        // Someone else's hands on the key: the next renewal finds the token gone.
        await _redis.Database.KeyDeleteAsync("redlock:" + name);
        await lost.Task.WaitAsync(Deadline);

        var failure = await LoggedAsync(1002, name);
        Assert.Equal((LogLevel.Warning, "LockWatchdogFailed"), (failure.Level, failure.EventId.Name));
        Assert.Equal($"The watchdog could not renew the lock '{name}': 0 of 1 masters renewed it, 1 needed. The acquisition is lost.", failure.Message);
        await LoggedAsync(1001, name);
    }

    [Fact]
    public async Task A_semaphore_permit_whose_lease_runs_out_logs_and_counts_a_loss_of_its_kind_once()
    {
        var name = TestKeys.Unique("semaphore").ToString();
        using var telemetry = new TelemetryCollector();
        var handle = await new RedisSemaphore(name, _redis.Database, permits: 2, leaseTime: TimeSpan.FromMilliseconds(200)).AcquireAsync();
        var lost = new TaskCompletionSource();
        using var registration = handle.LostToken.Register(lost.SetResult);

        await lost.Task.WaitAsync(Deadline);
        await handle.DisposeAsync();

        var entry = await LoggedAsync(1006, name);
        Assert.Equal(("Pottery.Locking", LogLevel.Warning, "LeaseLost"), (entry.Category, entry.Level, entry.EventId.Name));
        Assert.Equal($"Lost a semaphore lease on '{name}': it ran out while it was held, so another holder may have it now.", entry.Message);
        Assert.Contains(new KeyValuePair<string, object?>("LockKind", "semaphore"), entry.State);
        var loss = Assert.Single(telemetry.InScope("pottery.lock.lost"));
        Assert.Equal(("{acquisition}", 1d, "semaphore"), (loss.Unit, loss.Value, loss.Tag("pottery.lock.kind")));
    }

    [Fact]
    public async Task A_write_released_after_its_lease_ran_out_logs_that_it_was_lost()
    {
        var name = TestKeys.Unique("rwlock").ToString();
        var handle = await new RedisReaderWriterLock(name, _redis.Database, leaseTime: TimeSpan.FromMilliseconds(100)).AcquireWriteAsync();
        // Nobody reads LostToken, so the loss is noticed only at the release.
        await Eventually.SucceedsAsync(() => handle.ValidFor == TimeSpan.Zero ? Task.FromResult(true) : throw new InvalidOperationException("still valid"), Deadline);
        Assert.Empty(Logged(1006, name));

        handle.Dispose();
        handle.Dispose();

        var entry = Assert.Single(Logged(1006, name));
        Assert.Equal($"Lost a write lease on '{name}': it ran out while it was held, so another holder may have it now.", entry.Message);
    }

    [Fact]
    public async Task A_permit_passed_on_in_the_process_whose_renewal_finds_it_gone_logs_the_failure_and_the_loss()
    {
        var name = TestKeys.Unique("sem").ToString();
        var semaphore = new RedisSemaphore(name, _redis.Database, 1) { HandOverWindow = TimeSpan.FromMinutes(1) };
        using var telemetry = new TelemetryCollector();
        var held = await semaphore.AcquireAsync();
        var next = semaphore.AcquireAsync(Deadline).AsTask();
        await Eventually.SucceedsAsync(() => Task.FromResult(LocalLockQueue.Waiting(semaphore.LocalQueue) == 1 ? true : throw new InvalidOperationException("not waiting yet")), Deadline);

        // Someone else's hands on the key: the renewal that follows the pass finds the permit gone.
        await _redis.Database.KeyDeleteAsync(semaphore.Key);
        held.Dispose();
        await using var passed = await next.WaitAsync(Deadline);

        var failure = await LoggedAsync(1007, name);
        Assert.Equal($"The renewal after a hand-over within the process could not renew a semaphore lease on '{name}': the server no longer holds it. The acquisition is lost.", failure.Message);
        await LoggedAsync(1006, name);
        Assert.Equal("semaphore", Assert.Single(telemetry.InScope("pottery.lock.lost")).Tag("pottery.lock.kind"));
    }

    [Fact]
    public async Task A_watchdog_that_cannot_renew_a_read_logs_its_failure_and_the_loss()
    {
        var name = TestKeys.Unique("rwlock").ToString();
        var rwlock = new RedisReaderWriterLock(name, _redis.Database, leaseTime: TimeSpan.FromMilliseconds(300)) { AutoExtend = true };
        using var telemetry = new TelemetryCollector();
        await using var handle = await rwlock.AcquireReadAsync();
        var lost = new TaskCompletionSource();
        using var registration = handle.LostToken.Register(lost.SetResult);

        // Someone else's hands on the key: the next renewal finds the read gone.
        await _redis.Database.KeyDeleteAsync(rwlock.Key);
        await lost.Task.WaitAsync(Deadline);

        var failure = await LoggedAsync(1007, name);
        Assert.Equal((LogLevel.Warning, "LeaseWatchdogFailed"), (failure.Level, failure.EventId.Name));
        Assert.Equal($"The watchdog could not renew a read lease on '{name}': the server no longer holds it. The acquisition is lost.", failure.Message);
        await LoggedAsync(1006, name);
        Assert.Equal("read", Assert.Single(telemetry.InScope("pottery.lock.lost")).Tag("pottery.lock.kind"));
    }

    [Fact]
    public async Task An_extension_is_logged_at_debug_level_with_its_count()
    {
        var name = TestKeys.Unique("lock").ToString();
        await using var handle = await new Redlock(name, _redis.Database).AcquireAsync();

        await handle.ExtendAsync();

        var entry = Assert.Single(Logged(1003, name));
        Assert.Equal((LogLevel.Debug, "LockExtended", $"Extended the lock '{name}' (1 of 3 extensions)."), (entry.Level, entry.EventId.Name, entry.Message));
    }

    [Fact]
    public async Task AddPottery_sends_the_log_events_to_the_container_s_logger_factory()
    {
        var name = TestKeys.Unique("lock").ToString();
        using var hosts = new TestLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(hosts);
        services.AddPottery(options => options.ConnectionString = _redis.Endpoint).AddLock(name);
        await using var provider = services.BuildServiceProvider();

        var redlock = provider.GetRequiredKeyedService<Redlock>(name);
        await using var handle = await redlock.AcquireAsync();
        await handle.ExtendAsync();

        Assert.Contains(hosts.Entries, entry => entry.EventId.Id == 1003 && entry.Message.Contains(name, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, entry => entry.Message.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_quorum_failure_is_logged_with_its_reason()
    {
        await using var masters = await RedisMasters.StartAsync(1);
        var name = TestKeys.Unique("lock").ToString();
        var redlock = new Redlock(name, masters.Databases, autoReleaseTime: TimeSpan.FromMilliseconds(200));
        QuorumIsImpossibleException error;
        using (masters.Pause(0))
        {
            error = await Assert.ThrowsAsync<QuorumIsImpossibleException>(async () => await redlock.TryAcquireAsync());
        }

        var entry = Assert.Single(Logged(1005, name));
        Assert.Equal(("Pottery.Locking", LogLevel.Warning, "LockQuorumImpossible"), (entry.Category, entry.Level, entry.EventId.Name));
        Assert.Equal($"No quorum for the lock '{name}' (acquire): {error.Message}", entry.Message);
        Assert.Contains(new KeyValuePair<string, object?>("Operation", "acquire"), entry.State);
    }

    [Fact]
    public async Task An_id_without_a_quorum_is_logged_with_its_reason()
    {
        await using var three = await RedisMasters.StartAsync(3);
        var ids = new NextId(TestKeys.Unique("ids").ToString(), three.Databases);
        three.Servers[0].Kill();
        three.Servers[2].Kill();

        var error = await Assert.ThrowsAsync<QuorumNotAchievedException>(async () => await ids.NextAsync());

        var entry = Assert.Single(Logged(4001, ids.Key.ToString()));
        Assert.Equal(("Pottery.Ids", LogLevel.Warning, "IdQuorumNotAchieved"), (entry.Category, entry.Level, entry.EventId.Name));
        Assert.Equal($"No quorum for the ID generator '{ids.Key}': {error.Message}", entry.Message);
    }

    [Fact]
    public async Task A_redelivery_and_a_dead_letter_are_logged_with_the_item_id()
    {
        using var queue = new RedisQueue<string>(_redis.Database, TestKeys.Unique("queue"), visibilityTimeout: TimeSpan.FromMilliseconds(50), maxDeliveries: 2);
        var name = queue.Key.ToString();
        await queue.EnqueueAsync("work");
        var first = await queue.DequeueAsync();
        var second = await queue.DequeueAsync().AsTask().WaitAsync(Deadline);
        var giveUp = DateTime.UtcNow + Deadline;
        while (await _redis.Database.ListLengthAsync(queue.DeadLetterKey) == 0)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the item never reached the dead-letter list");
            Assert.False((await queue.TryDequeueAsync(TimeSpan.FromMilliseconds(100))).Found);
        }

        var redelivery = Assert.Single(Logged(2001, name));
        Assert.Equal(("Pottery.Queues", LogLevel.Warning, "QueueRedelivered"), (redelivery.Category, redelivery.Level, redelivery.EventId.Name));
        Assert.Equal($"Item {first.Id} of the queue '{name}' is handed out again as delivery 2: an earlier delivery was not acknowledged within the visibility timeout, or was abandoned.", redelivery.Message);
        Assert.Equal(first.Id, second.Id);
        var deadLetter = Assert.Single(Logged(2002, name));
        Assert.Equal(LogLevel.Warning, deadLetter.Level);
        Assert.Equal($"Item {first.Id} of the queue '{name}' went to the dead-letter list '{queue.DeadLetterKey}' after 2 unacknowledged deliveries.", deadLetter.Message);
    }

    [Fact]
    public async Task A_reliable_topics_redelivery_and_dead_letter_are_logged_with_the_message_id()
    {
        using var topic = new RedisReliableTopic<string>(_redis.Database, TestKeys.Unique("topic"), visibilityTimeout: TimeSpan.FromMilliseconds(50), maxDeliveries: 2);
        var name = topic.Key.ToString();
        await topic.CreateGroupAsync("workers", TopicPosition.Beginning);
        var id = await topic.PublishAsync("poison");
        await using var subscription = topic.Subscribe("workers", "worker");
        Assert.Equal(1, (await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline)).DeliveryCount);
        Assert.Equal(2, (await subscription.ReceiveAsync().AsTask().WaitAsync(Deadline)).DeliveryCount);
        using var stop = new CancellationTokenSource();
        var waiting = subscription.ReceiveAsync(stop.Token).AsTask();
        await Eventually.SucceedsAsync(async () => await _redis.Database.StreamLengthAsync(topic.DeadLetterKey) == 1 ? true : throw new InvalidOperationException("Not dead-lettered yet."), Deadline);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));

        var redelivery = Assert.Single(Logged(5001, name));
        Assert.Equal(("Pottery.Messaging", LogLevel.Warning, "TopicRedelivered"), (redelivery.Category, redelivery.Level, redelivery.EventId.Name));
        Assert.Equal($"Message {id} of the reliable topic '{name}' is delivered again to group 'workers' as delivery 2: an earlier delivery was not acknowledged within the visibility timeout.", redelivery.Message);
        var deadLetter = await LoggedAsync(5002, name);
        Assert.Equal(("Pottery.Messaging", LogLevel.Warning, "TopicDeadLettered"), (deadLetter.Category, deadLetter.Level, deadLetter.EventId.Name));
        Assert.Equal($"Message {id} of the reliable topic '{name}' went to the dead-letter stream '{topic.DeadLetterKey}' for group 'workers' after 2 unacknowledged deliveries.", deadLetter.Message);
    }

    [Fact]
    public async Task A_single_flight_wait_is_logged_at_debug_level()
    {
        var key = TestKeys.Unique("cache");
        await using var elsewhere = await _redis.ConnectAsync();
        var computing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<int> Slow(int x, CancellationToken token)
        {
            computing.TrySetResult();
            await finish.Task.WaitAsync(token);
            return x;
        }

        using var first = RedisCache.Memoize<int, int>(_redis.Database, key, Slow);
        using var second = RedisCache.Memoize<int, int>(elsewhere.GetDatabase(), key, Slow);
        var name = first.Cache.Key.ToString();
        var computed = first.InvokeAsync(7).AsTask();
        await computing.Task.WaitAsync(Deadline);
        var waited = second.InvokeAsync(7).AsTask();
        await Eventually.SucceedsAsync(
            async () =>
            {
                var channels = (RedisResult[])(await _redis.Database.ExecuteAsync("PUBSUB", "CHANNELS", $"redlock:{name}:*:released"))!;
                Assert.NotEmpty(channels);
                return channels;
            },
            Deadline);
        finish.SetResult();
        await Task.WhenAll(computed, waited).WaitAsync(Deadline);

        var entry = Assert.Single(Logged(3001, name));
        Assert.Equal(("Pottery.Caching", LogLevel.Debug, "CacheSingleFlightWait"), (entry.Category, entry.Level, entry.EventId.Name));
        Assert.StartsWith($"A miss on the cache '{name}' waited ", entry.Message, StringComparison.Ordinal);
        Assert.EndsWith(" ms for another computation of the same arguments and used its result.", entry.Message, StringComparison.Ordinal);
    }

    private List<LogEntry> Logged(int eventId, string name) =>
        [.. _logs.Entries.Where(e => e.EventId.Id == eventId && e.Message.Contains(name, StringComparison.Ordinal))];

    // For events logged on a timer's or the watchdog's thread, after the test's own signal.
    private Task<LogEntry> LoggedAsync(int eventId, string name) =>
        Eventually.SucceedsAsync(() => Task.FromResult(Assert.Single(Logged(eventId, name))), Deadline);
}

using Pottery.Testing.Redis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>
/// Locks on the caller's database as given: a key prefix, a database other than 0, and no
/// subscription left once every lock is released. The masters are this class's alone, so
/// <c>PUBSUB CHANNELS</c> sees only its channels.
/// </summary>
public sealed class RedlockDatabaseTests(RedisMastersFixture masters) : IClassFixture<RedisMastersFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Databases => new() { "prefixed", "database 3" };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Acquire_extend_release_and_held_for_work_on_the_database_as_given(string kind)
    {
        var (databases, serverKey) = Arrange(kind, out var name);
        var redlock = new Redlock(name, databases);

        var handle = await redlock.AcquireAsync();
        foreach (var master in masters.Masters.Connections)
        {
            Assert.Equal(handle.Token, (string?)await Raw(kind, master).StringGetAsync(serverKey));
        }

        Assert.True(await redlock.HeldForAsync() > TimeSpan.Zero);
        Assert.True(await handle.HeldForAsync() > TimeSpan.Zero);
        await handle.ExtendAsync();
        Assert.Null(await redlock.TryAcquireAsync());
        await handle.ReleaseAsync();

        Assert.Equal(TimeSpan.Zero, await redlock.HeldForAsync());
        foreach (var master in masters.Masters.Connections)
        {
            Assert.False(await Raw(kind, master).KeyExistsAsync(serverKey));
        }

        await (await redlock.AcquireAsync(TimeSpan.Zero)).ReleaseAsync();
        await AssertNothingSubscribedAsync();
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_waiter_on_the_database_is_woken_by_a_release(string kind)
    {
        var (databases, serverKey) = Arrange(kind, out var name);
        await using var elsewhere = await SeparateConnections.ToAsync(masters.Masters.Servers);
        var holder = new Redlock(name, databases) { Fenced = true };

        // On connections of its own, as in another process: waiters of this process would queue behind the holder here.
        var waiter = new Redlock(name, Arrange(kind, elsewhere.Connections)) { RetryDelay = TimeSpan.FromSeconds(30), Fenced = true };
        var held = await holder.AcquireAsync();

        var waiting = waiter.AcquireAsync().AsTask();
        // The waiter's first try failed and it listens (a channel appears) before the release.
        var channels = await Eventually.SucceedsAsync(async () => await ChannelsAsync() is { Length: > 0 } listening ? listening : throw new InvalidOperationException("not listening yet"), Deadline);
        Assert.All(channels, channel => Assert.Equal(serverKey + ":released", channel));
        held.Dispose();

        // With a 30 s random retry, only the release announcement can end the wait in time.
        var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(next.FencingToken > held.FencingToken);
        await next.DisposeAsync();
        await AssertNothingSubscribedAsync();
    }

    [Fact]
    public async Task No_channel_stays_subscribed_after_contended_locks_are_released()
    {
        var name = TestKeys.Unique("lock").ToString();
        var redlock = new Redlock(name, masters.Databases) { RetryDelay = TimeSpan.FromMilliseconds(50) };

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await using (await redlock.AcquireAsync())
                {
                    await Task.Yield();
                }
            }
        }))).WaitAsync(TimeSpan.FromMinutes(2));

        var holder = await redlock.AcquireAsync();
        await using var elsewhere = await SeparateConnections.ToAsync(masters.Masters.Servers);
        var other = new Redlock(name, elsewhere.Databases) { RetryDelay = TimeSpan.FromMilliseconds(50) };
        using var cancel = new CancellationTokenSource();
        var cancelled = other.AcquireAsync(cancellationToken: cancel.Token).AsTask();
        var timedOut = other.TryAcquireAsync(TimeSpan.FromMilliseconds(300)).AsTask();
        await Eventually.SucceedsAsync(async () => (await ChannelsAsync()).Length > 0 ? true : throw new InvalidOperationException("not listening yet"), Deadline);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(await timedOut);
        await holder.ReleaseAsync();

        await AssertNothingSubscribedAsync();
    }

    private static IDatabase Raw(string kind, ConnectionMultiplexer master) => master.GetDatabase(kind == "database 3" ? 3 : 0);

    private static IDatabase[] Arrange(string kind, IEnumerable<ConnectionMultiplexer> connections) =>
        kind == "prefixed"
            ? connections.Select(c => c.GetDatabase().WithKeyPrefix("tenant:")).ToArray()
            : connections.Select(c => c.GetDatabase(3)).ToArray();

    private (IDatabase[] Databases, string ServerKey) Arrange(string kind, out string name)
    {
        name = TestKeys.Unique("lock").ToString();
        return (Arrange(kind, masters.Masters.Connections), kind == "prefixed" ? $"tenant:redlock:{name}" : $"redlock:{name}");
    }

    // The channels subscribed on any master, by anyone.
    private async Task<string[]> ChannelsAsync()
    {
        var channels = await Task.WhenAll(masters.Masters.Connections.Select(async c => (RedisResult[])(await c.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS", "*"))!));
        // StackExchange.Redis listens on a channel of its own on every connection.
        return channels.SelectMany(list => list.Select(channel => (string)channel!)).Where(channel => !channel.StartsWith("__Booksleeve", StringComparison.Ordinal)).ToArray();
    }

    private async Task AssertNothingSubscribedAsync() =>
        await Eventually.SucceedsAsync(
            async () =>
            {
                Assert.Empty(await ChannelsAsync());
                return true;
            },
            Deadline);
}

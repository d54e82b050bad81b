using Pottery.Testing.Redis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery.Runtime.Tests.WakeUps;

public sealed class WakeUpChannelTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_listener_on_a_prefixed_database_hears_what_that_database_publishes()
    {
        var tenant = redis.Database.WithKeyPrefix("tenant1:");
        var key = TestKeys.Unique();
        using var listener = new WakeUpListener();
        await listener.ListenAsync(tenant, key, ":ping", WakeMode.One);

        WakeUpChannel.Publish(tenant, key, ":ping");

        Assert.True(await listener.WaitAsync(Long, CancellationToken.None));
        Assert.Contains($"tenant1:{key}:ping", await Channels());
    }

    [Fact]
    public async Task A_script_publishing_to_its_key_wakes_listeners_of_a_prefixed_database()
    {
        var tenant = redis.Database.WithKeyPrefix("tenant2:");
        var key = TestKeys.Unique();
        using var listener = new WakeUpListener();
        await listener.ListenAsync(tenant, key, ":ping", WakeMode.One);

        await tenant.ScriptEvaluateAsync("redis.call('PUBLISH', KEYS[1] .. ARGV[1], '')", [key], [":ping"]);

        Assert.True(await listener.WaitAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task One_message_wakes_the_longest_waiting_listener_only()
    {
        var key = TestKeys.Unique();
        using var first = new WakeUpListener();
        using var second = new WakeUpListener();
        await first.ListenAsync(redis.Database, key, ":one", WakeMode.One);
        await second.ListenAsync(redis.Database, key, ":one", WakeMode.One);

        WakeUpChannel.Publish(redis.Database, key, ":one");

        Assert.True(await first.WaitAsync(Long, CancellationToken.None));
        Assert.False(await second.WaitAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
    }

    [Fact]
    public async Task A_wake_up_a_leaving_listener_did_not_use_goes_to_the_next()
    {
        var key = TestKeys.Unique();
        var first = new WakeUpListener();
        using var second = new WakeUpListener();
        await first.ListenAsync(redis.Database, key, ":pass", WakeMode.One);
        await second.ListenAsync(redis.Database, key, ":pass", WakeMode.One);
        WakeUpChannel.Publish(redis.Database, key, ":pass");
        await Eventually.SucceedsAsync(() => Task.FromResult(first.Woken ? true : throw new InvalidOperationException("not woken yet")), Long);

        first.Dispose();

        Assert.True(await second.WaitAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_message_in_all_mode_wakes_every_listener()
    {
        var key = TestKeys.Unique();
        using var first = new WakeUpListener();
        using var second = new WakeUpListener();
        await first.ListenAsync(redis.Database, key, ":all", WakeMode.All);
        await second.ListenAsync(redis.Database, key, ":all", WakeMode.All);

        WakeUpChannel.Publish(redis.Database, key, ":all");

        Assert.True(await first.WaitAsync(Long, CancellationToken.None));
        Assert.True(await second.WaitAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task The_everyone_message_wakes_every_listener_of_a_one_mode_channel()
    {
        var key = TestKeys.Unique();
        using var first = new WakeUpListener();
        using var second = new WakeUpListener();
        await first.ListenAsync(redis.Database, key, ":due", WakeMode.One);
        await second.ListenAsync(redis.Database, key, ":due", WakeMode.One);

        await redis.Database.ScriptEvaluateAsync("redis.call('PUBLISH', KEYS[1] .. ARGV[1], ARGV[2])", [key], [":due", WakeUpChannel.EveryoneMessage]);

        Assert.True(await first.WaitAsync(Long, CancellationToken.None));
        Assert.True(await second.WaitAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task Listeners_share_one_subscription_and_the_last_to_leave_unsubscribes()
    {
        var key = TestKeys.Unique();
        var channel = $"{key}:shared";
        var first = new WakeUpListener();
        var second = new WakeUpListener();
        await first.ListenAsync(redis.Database, key, ":shared", WakeMode.One);
        await second.ListenAsync(redis.Database, key, ":shared", WakeMode.One);
        Assert.Equal(1L, await Subscribers(channel));

        first.Dispose();
        Assert.Equal(1L, await Subscribers(channel));
        second.Dispose();

        await Eventually.SucceedsAsync(async () => (await Channels()).Contains(channel) ? throw new InvalidOperationException($"{channel} is still subscribed") : true, Long);
    }

    [Fact]
    public async Task Listening_again_after_the_last_left_subscribes_again()
    {
        var key = TestKeys.Unique();
        new WakeUpListener().Dispose();
        var gone = new WakeUpListener();
        await gone.ListenAsync(redis.Database, key, ":again", WakeMode.One);
        gone.Dispose();

        using var listener = new WakeUpListener();
        await listener.ListenAsync(redis.Database, key, ":again", WakeMode.One);
        WakeUpChannel.Publish(redis.Database, key, ":again");

        Assert.True(await listener.WaitAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_listener_that_joins_while_the_last_one_leaves_still_hears_the_channel()
    {
        // The last listener's unsubscribe and a new listener's subscribe race for the one client-side
        // subscription: neither may leave the new listener on a subscription the server dropped.
        var key = TestKeys.Unique();
        var leaving = new WakeUpListener();
        await leaving.ListenAsync(redis.Database, key, ":race", WakeMode.All);
        for (var round = 0; round < 300; round++)
        {
            var joining = new WakeUpListener();
            using var start = new Barrier(2);
            var leave = Task.Run(() => { start.SignalAndWait(); leaving.Dispose(); });
            var join = Task.Run(async () => { start.SignalAndWait(); await joining.ListenAsync(redis.Database, key, ":race", WakeMode.All); });
            await Task.WhenAll(leave, join);

            WakeUpChannel.Publish(redis.Database, key, ":race");
            Assert.True(await joining.WaitAsync(Long, CancellationToken.None), $"round {round}: the listener that joined heard nothing");
            leaving = joining;
        }

        leaving.Dispose();
    }

    private async Task<string[]> Channels() =>
        ((RedisResult[])(await redis.Database.ExecuteAsync("PUBSUB", "CHANNELS", "*"))!).Select(c => (string)c!).ToArray();

    private async Task<long> Subscribers(string channel) =>
        (long)((RedisResult[])(await redis.Database.ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1];
}

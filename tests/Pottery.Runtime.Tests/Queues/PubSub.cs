using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>What the server says about subscriptions, polled with a deadline.</summary>
internal static class PubSub
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Waits until someone listens on <paramref name="channel"/>: a waiting call has reached its wait.</summary>
    public static Task UntilListenedAsync(IDatabase admin, string channel) =>
        Eventually.SucceedsAsync(async () => await SubscribersAsync(admin, channel) > 0 ? true : throw new InvalidOperationException($"Nobody listens on {channel}."), Deadline);

    /// <summary>Waits until no channel naming any of <paramref name="keys"/> is subscribed.</summary>
    public static Task NoneLeftAsync(IDatabase admin, params RedisKey[] keys) =>
        Eventually.SucceedsAsync(
            async () =>
            {
                var left = (await ChannelsAsync(admin)).Where(c => keys.Any(k => c.Contains(k.ToString(), StringComparison.Ordinal))).ToArray();
                return left.Length == 0 ? true : throw new InvalidOperationException("Still subscribed: " + string.Join(", ", left));
            },
            Deadline);

    private static async Task<string[]> ChannelsAsync(IDatabase admin) =>
        ((RedisResult[])(await admin.ExecuteAsync("PUBSUB", "CHANNELS", "*"))!).Select(c => (string)c!).ToArray();

    private static async Task<long> SubscribersAsync(IDatabase admin, string channel) =>
        (long)((RedisResult[])(await admin.ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1];
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Every pub/sub subscribe and unsubscribe of this process (topics, wake-up channels), started one
/// at a time. StackExchange.Redis keeps one server-side subscription per channel for all of a
/// client's subscribers, and an unsubscribe that removes the last one can race a subscribe that
/// joins it: the joiner then sits on a subscription the client has dropped and the server no longer
/// serves, and hears nothing. Each call registers (and queues its command) synchronously, so running
/// those parts one at a time puts the commands in the same order as the client's bookkeeping.
/// </summary>
internal static class SubscriptionChanges
{
    private static readonly object Gate = new();

    /// <summary>Subscribes <paramref name="handler"/> to <paramref name="channel"/>; the task completes once the subscription is live.</summary>
    public static Task SubscribeAsync(IConnectionMultiplexer client, RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        lock (Gate)
        {
            return client.GetSubscriber().SubscribeAsync(channel, handler);
        }
    }

    /// <summary>Subscribes a message queue to <paramref name="channel"/>; the task completes once the subscription is live.</summary>
    public static Task<ChannelMessageQueue> SubscribeAsync(IConnectionMultiplexer client, RedisChannel channel)
    {
        lock (Gate)
        {
            return client.GetSubscriber().SubscribeAsync(channel);
        }
    }

    /// <summary>Unsubscribes <paramref name="handler"/> from <paramref name="channel"/> without waiting for the server.</summary>
    public static void Unsubscribe(IConnectionMultiplexer client, RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        lock (Gate)
        {
            client.GetSubscriber().Unsubscribe(channel, handler, CommandFlags.FireAndForget);
        }
    }

    /// <summary>Unsubscribes <paramref name="queue"/> without waiting for the server.</summary>
    public static void Unsubscribe(ChannelMessageQueue queue)
    {
        lock (Gate)
        {
            queue.Unsubscribe(CommandFlags.FireAndForget);
        }
    }

    /// <summary>Unsubscribes <paramref name="queue"/>; the task completes when the server confirmed.</summary>
    public static Task UnsubscribeAsync(ChannelMessageQueue queue)
    {
        lock (Gate)
        {
            return queue.UnsubscribeAsync();
        }
    }
}

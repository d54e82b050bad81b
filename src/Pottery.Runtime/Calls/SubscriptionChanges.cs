namespace Pottery;

/// <summary>
/// Serializes this process's pub/sub subscribes and unsubscribes (topics, wake-up channels). StackExchange.Redis keeps one
/// server-side subscription per channel for all of a client's subscribers, and an unsubscribe
/// that removes the last one can race a subscribe that joins it: the joiner then sits on a
/// subscription the client has dropped and the server no longer serves, and hears nothing. Each
/// call registers (and queues its command) synchronously, so running those parts one at a time
/// puts the commands in the same order as the client's bookkeeping.
/// </summary>
internal static class SubscriptionChanges
{
    /// <summary>Held around the synchronous start of every subscribe and unsubscribe call.</summary>
    public static readonly object Gate = new();
}

using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Wakes waiters of this process through Redis pub/sub instead of polling: a lock released, an
/// item added, space freed, all work done. Every listener on one client and channel shares one
/// subscription, made when the first joins and dropped when the last one leaves, so nothing stays
/// subscribed once nobody waits.
/// </summary>
/// <remarks>
/// <para>A channel is named after the structure's key as the server sees it plus a suffix
/// (<c>&lt;key&gt;:released</c>). A key-prefixed database (<c>WithKeyPrefix</c>) prefixes the keys it
/// sends but not what a subscriber listens to, so listeners add the prefix themselves
/// (<see cref="KeyPrefix"/>); publishers get it for free by publishing either through the database
/// (<see cref="Publish"/>) or from a script as <c>PUBLISH KEYS[i] .. ARGV[j]</c>.</para>
/// <para>Pub/sub delivers at most once, and not at all while a connection is down, so a waiter
/// never waits on a wake-up alone: see <see cref="WakeUpListener"/> for the pattern.</para>
/// </remarks>
internal sealed class WakeUpChannel
{
    /// <summary>
    /// The message that wakes every listener of a channel, whatever its <see cref="WakeMode"/>: for a
    /// change that each waiter may need to see for itself (a delayed queue item due sooner than any
    /// other, so every waiter shortens its pause), where any other message wakes as the mode says.
    /// </summary>
    internal const string EveryoneMessage = "all";

    private static readonly ConcurrentDictionary<(IConnectionMultiplexer Client, RedisChannel Channel), WakeUpChannel> Open = new();

    // In arrival order, so a single wake-up goes to whoever waited longest.
    private readonly List<WakeUpListener> _listeners = [];
    private readonly (IConnectionMultiplexer Client, RedisChannel Channel) _name;
    private readonly WakeMode _mode;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private Task _subscribed = Task.CompletedTask;
    private bool _closed;

    private WakeUpChannel((IConnectionMultiplexer Client, RedisChannel Channel) name, WakeMode mode)
    {
        (_name, _mode) = (name, mode);
        _onMessage = (_, message) => Wake(message);
    }

    /// <summary>Announces on <paramref name="key"/>'s channel <paramref name="suffix"/> without waiting for the reply.</summary>
    /// <param name="database">The structure's database; it adds its key prefix to the channel, as listeners expect.</param>
    /// <param name="key">The structure's key.</param>
    /// <param name="suffix">What the channel announces.</param>
    public static void Publish(IDatabase database, RedisKey key, string suffix)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            database.Publish(RedisChannel.Literal(Name(key, suffix)), RedisValue.EmptyString, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Listeners also retry after a pause, so a lost announcement only delays them.
        }
    }

    /// <summary>Adds <paramref name="listener"/> to the channel, returning once the subscription is live.</summary>
    internal static async Task JoinAsync(WakeUpListener listener, IDatabase database, RedisKey key, string suffix, WakeMode mode)
    {
        var name = (database.Multiplexer, Channel(await KeyPrefix.OfAsync(database).ConfigureAwait(false), key, suffix));
        while (true)
        {
            var open = Open.GetOrAdd(name, static (n, m) => new WakeUpChannel(n, m), mode);
            if (open.TryJoin(listener) is { } subscribed)
            {
                await subscribed.ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>
    /// A listener on the channel when this process already listens on it live (another waiter
    /// subscribed it): no round trip, so a caller about to try can listen first, and whatever its try
    /// misses is announced to it. Null, with nothing allocated, otherwise.
    /// </summary>
    /// <param name="database">The structure's database, key prefix included.</param>
    /// <param name="key">The structure's key.</param>
    /// <param name="suffix">What the channel announces.</param>
    /// <param name="address">What a <see cref="WakeMode.Addressed"/> message names to wake the listener.</param>
    /// <returns>The listener, or null.</returns>
    internal static WakeUpListener? TryListenLive(IDatabase database, RedisKey key, string suffix, RedisValue address)
    {
        if (Open.IsEmpty || !KeyPrefix.TryKnown(database, out var prefix) || !Open.TryGetValue((database.Multiplexer, Channel(prefix, key, suffix)), out var open))
        {
            return null;
        }

        lock (open._listeners)
        {
            if (open._closed || !open._subscribed.IsCompletedSuccessfully)
            {
                return null;
            }

            var listener = new WakeUpListener(address);
            open._listeners.Add(listener);
            listener.Joined(open);
            return listener;
        }
    }

    /// <summary>Removes a listener; a wake-up it got and did not use goes on to the next.</summary>
    internal void Leave(WakeUpListener listener)
    {
        lock (_listeners)
        {
            if (!_listeners.Remove(listener))
            {
                return;
            }

            if (listener.Woken && _mode == WakeMode.One)
            {
                WakeOne();
            }

            if (_listeners.Count > 0)
            {
                return;
            }

            // A listener that comes meanwhile opens a new channel, whose subscribe SubscriptionChanges
            // keeps in order with this unsubscribe.
            _closed = true;
            try
            {
                SubscriptionChanges.Unsubscribe(_name.Client, _name.Channel, _onMessage);
            }
            catch (RedisException)
            {
                // A connection that is gone holds no subscription either.
            }

            Open.TryRemove(new KeyValuePair<(IConnectionMultiplexer, RedisChannel), WakeUpChannel>(_name, this));
        }
    }

    // The channel a listener subscribes: the key as the server sees it (its database's prefix in front), then the suffix.
    private static RedisChannel Channel(byte[] prefix, RedisKey key, string suffix) => RedisChannel.Literal([.. prefix, .. Name(key, suffix)]);

    private static byte[] Name(RedisKey key, string suffix) => [.. (byte[])key!, .. System.Text.Encoding.UTF8.GetBytes(suffix)];

    // Null when the channel closed meanwhile (its last listener left): the caller opens a new one.
    private Task? TryJoin(WakeUpListener listener)
    {
        lock (_listeners)
        {
            if (_closed)
            {
                return null;
            }

            _listeners.Add(listener);
            listener.Joined(this);
            if (_listeners.Count == 1)
            {
                _subscribed = SubscriptionChanges.SubscribeAsync(_name.Client, _name.Channel, _onMessage);
            }

            return _subscribed;
        }
    }

    private void Wake(RedisValue message)
    {
        lock (_listeners)
        {
            var everyone = message == EveryoneMessage;
            if (_mode == WakeMode.Addressed && !everyone)
            {
                foreach (var listener in _listeners)
                {
                    if (listener.Address == message)
                    {
                        listener.Named();
                        if (!listener.Woken)
                        {
                            listener.Wake();
                        }
                    }
                }

                return;
            }

            if (_mode == WakeMode.One && !everyone)
            {
                WakeOne();
                return;
            }

            foreach (var listener in _listeners)
            {
                listener.Wake();
            }
        }
    }

    // A listener already woken has its chance; one more wake-up for it would be lost.
    private void WakeOne()
    {
        foreach (var listener in _listeners)
        {
            if (!listener.Woken)
            {
                listener.Wake();
                return;
            }
        }
    }
}

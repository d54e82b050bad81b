using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// One waiter's place on one or more <see cref="WakeUpChannel"/>s (a lock listens on every master).
/// A wake-up that arrives while the waiter is busy trying is kept for its next wait.
/// </summary>
/// <remarks>
/// The pattern: try; on failure, <see cref="ListenAsync"/> and try once more (whatever happened
/// before the subscription was live is seen by that try); then <see cref="WaitAsync"/> for a
/// wake-up or a bounded pause, try again, and so on. An uncontended call never listens. Dispose
/// the listener when done: that leaves every channel, and the last listener unsubscribes.
/// </remarks>
internal sealed class WakeUpListener : IDisposable
{
    private readonly SemaphoreSlim _woken = new(0, 1);

    /// <summary>Creates a listener; <paramref name="address"/> is what a <see cref="WakeMode.Addressed"/> message names to wake it.</summary>
    /// <param name="address">The waiter's address (its token), or none.</param>
    public WakeUpListener(RedisValue address = default) => Address = address;

    /// <summary>What a <see cref="WakeMode.Addressed"/> message names to wake this listener; null for none.</summary>
    public RedisValue Address { get; }
    private readonly List<WakeUpChannel> _channels = [];
    private bool _disposed;
    private int _named;

    /// <summary>Whether this listener joined any channel yet.</summary>
    public bool Listening
    {
        get
        {
            lock (_channels)
            {
                return _channels.Count > 0;
            }
        }
    }

    /// <summary>Whether a wake-up came that no wait has taken yet. Read and set under the channel's lock.</summary>
    internal bool Woken => _woken.CurrentCount > 0;

    /// <summary>
    /// Listens on <paramref name="key"/>'s channel <paramref name="suffix"/> and returns once the
    /// subscription is live. A server that cannot be reached is not listened to: this waiter then
    /// only waits out its pauses there.
    /// </summary>
    /// <param name="database">The structure's database, key prefix included.</param>
    /// <param name="key">The structure's key.</param>
    /// <param name="suffix">What the channel announces, e.g. <c>:released</c>.</param>
    /// <param name="mode">Whom one message wakes; the same for every listener of a channel.</param>
    /// <returns>A task that completes when listening (or given up on that server).</returns>
    public async Task ListenAsync(IDatabase database, RedisKey key, string suffix, WakeMode mode)
    {
        ArgumentNullException.ThrowIfNull(database);
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await WakeUpChannel.JoinAsync(this, database, key, suffix, mode).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException or PotteryException)
        {
            // Not listening there; the pauses still end this waiter's waits.
        }
    }

    /// <summary>Waits for a wake-up, at most <paramref name="pause"/>.</summary>
    /// <param name="pause">The longest wait: waiters retry after it even without a wake-up.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether a wake-up came (rather than the pause ending).</returns>
    public Task<bool> WaitAsync(TimeSpan pause, CancellationToken cancellationToken) => _woken.WaitAsync(pause, cancellationToken);

    /// <summary>
    /// Whether a <see cref="WakeMode.Addressed"/> message named this listener since the last call,
    /// clearing it: for a primitive whose announcer acts for the waiter it names (a semaphore's
    /// release grants that waiter the permit), so the waiter knows without asking the server.
    /// </summary>
    /// <returns>Whether it was named.</returns>
    public bool TakeNamed() => Interlocked.Exchange(ref _named, 0) == 1;

    /// <summary>Stops listening everywhere; the last listener of a channel unsubscribes it.</summary>
    public void Dispose()
    {
        WakeUpChannel[] channels;
        lock (_channels)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            channels = [.. _channels];
        }

        foreach (var channel in channels)
        {
            channel.Leave(this);
        }
    }

    /// <summary>Called under the channel's lock.</summary>
    internal void Joined(WakeUpChannel channel)
    {
        lock (_channels)
        {
            _channels.Add(channel);
        }
    }

    /// <summary>Called under the channel's lock when an addressed message names this listener.</summary>
    internal void Named() => Volatile.Write(ref _named, 1);

    /// <summary>Called under the channel's lock, only when not <see cref="Woken"/>.</summary>
    internal void Wake()
    {
        try
        {
            _woken.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another channel of this listener woke it meanwhile: one wake-up is all it needs.
        }
    }
}

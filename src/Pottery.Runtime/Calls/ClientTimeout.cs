using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// How long StackExchange.Redis lets a command go unanswered before it fails the command itself:
/// its async timeout, checked on its heartbeat. Code that must stop waiting for a server after some
/// time needs no timer of its own when this comes first.
/// </summary>
internal static class ClientTimeout
{
    // The heartbeat runs every second unless configured otherwise (the setting is not in the
    // configuration string), so a command fails at most this long after its timeout.
    private static readonly TimeSpan HeartbeatAllowance = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<IConnectionMultiplexer, StrongBox<TimeSpan>> Known = new();

    /// <summary>The longest a command to <paramref name="database"/> stays unanswered; <see cref="Timeout.InfiniteTimeSpan"/> when unknown.</summary>
    /// <param name="database">A database of the client.</param>
    /// <returns>The client's async timeout and heartbeat allowance, or infinite.</returns>
    public static TimeSpan Of(IDatabase database) => Known.GetValue(database.Multiplexer, Read).Value;

    private static StrongBox<TimeSpan> Read(IConnectionMultiplexer client)
    {
        try
        {
            // The configuration string of a connected client names its async timeout (the sync one when unset).
            return new(TimeSpan.FromMilliseconds(ConfigurationOptions.Parse(client.Configuration).AsyncTimeout) + HeartbeatAllowance);
        }
        catch (Exception error) when (error is ArgumentException or NotSupportedException)
        {
            return new(Timeout.InfiniteTimeSpan);
        }
    }
}

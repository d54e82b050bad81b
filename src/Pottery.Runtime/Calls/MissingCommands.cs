using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Commands a server refused as unknown (Garnet has no <c>SORT</c>), remembered per connection, so an
/// operation with a fallback sends the missing command once, not before every fallback.
/// </summary>
internal static class MissingCommands
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, HashSet<string>> Missing = new();

    /// <summary>Whether <paramref name="error"/> says the server does not know the command.</summary>
    public static bool IsUnknownCommand(Exception error) =>
        error is RedisServerException && error.Message.StartsWith("ERR unknown command", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the servers behind <paramref name="database"/> refused <paramref name="command"/> before.</summary>
    public static bool IsMissing(IDatabase database, string command)
    {
        if (!Missing.TryGetValue(database.Multiplexer, out var commands))
        {
            return false;
        }

        lock (commands)
        {
            return commands.Contains(command);
        }
    }

    /// <summary>Remembers that the servers behind <paramref name="database"/> do not know <paramref name="command"/>.</summary>
    public static void Remember(IDatabase database, string command)
    {
        var commands = Missing.GetOrCreateValue(database.Multiplexer);
        lock (commands)
        {
            commands.Add(command);
        }
    }
}

using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The prefix a database object adds to every key it sends (StackExchange.Redis'
/// <c>WithKeyPrefix</c>; empty for a plain database), learned from the server once per database
/// object, since the wrapper does not say. Pub/sub listeners need it: a prefixed database prefixes
/// the channels it publishes to, but a subscriber listens to channels as given.
/// </summary>
internal static class KeyPrefix
{
    private static readonly RedisScript Echo = new("return KEYS[1]");
    private static readonly ConditionalWeakTable<IDatabase, Task<byte[]>> Known = new();

    /// <summary>The prefix <paramref name="database"/> adds to keys.</summary>
    /// <param name="database">The database object.</param>
    /// <returns>The prefix's bytes; empty when none.</returns>
    /// <exception cref="RedisUnavailableException">The server could not be asked.</exception>
    public static async Task<byte[]> OfAsync(IDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var learning = Known.GetValue(database, static d => Learn(d));
        try
        {
            return await learning.ConfigureAwait(false);
        }
        catch (Exception error) when (RedisErrors.IsUnavailable(error))
        {
            // Asked again next time rather than remembered as failed.
            Known.Remove(database);
            throw RedisErrors.Unavailable(string.Empty, error);
        }
    }

    /// <summary>The prefix <paramref name="database"/> adds to keys, when it was learned already; no round trip.</summary>
    public static bool TryKnown(IDatabase database, out byte[] prefix)
    {
        if (Known.TryGetValue(database, out var learning) && learning.IsCompletedSuccessfully)
        {
            prefix = learning.Result;
            return true;
        }

        prefix = [];
        return false;
    }

    // The server sees the empty key with the prefix in front, and hands it back.
    private static async Task<byte[]> Learn(IDatabase database) =>
        (byte[]?)await database.ScriptEvaluateAsync(Echo.Source, [new RedisKey(string.Empty)]).ConfigureAwait(false) ?? [];
}

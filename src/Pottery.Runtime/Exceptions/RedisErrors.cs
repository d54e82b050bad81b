using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The one place where StackExchange.Redis failures become Pottery exceptions: WRONGTYPE
/// becomes <see cref="WrongTypeException"/> naming the type found, an unreachable or silent
/// server becomes <see cref="RedisUnavailableException"/>. Cancellation stays
/// <see cref="OperationCanceledException"/>, as .NET callers expect.
/// </summary>
internal static class RedisErrors
{
    /// <summary>Whether <see cref="TranslateAsync"/> has a Pottery exception for <paramref name="error"/>.</summary>
    public static bool IsWrongTypeOrUnavailable(Exception error) =>
        error is RedisServerException server && IsWrongType(server) || IsUnavailable(error);

    /// <summary>The Pottery exception for a WRONGTYPE reply (naming the type found) or an unreachable server.</summary>
    public static async Task<Exception> TranslateAsync(Exception error, IDatabaseAsync database, RedisKey key, RedisType expected)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (error is not RedisServerException server || !IsWrongType(server))
        {
            return Unavailable(key, error);
        }

        RedisType found;
        try
        {
            found = await database.KeyTypeAsync(key).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            found = RedisType.Unknown;
        }

        return WrongType(key, expected, found, error);
    }

    /// <summary>Whether Redis refused the command because a key holds another type.</summary>
    public static bool IsWrongType(RedisServerException error) =>
        error.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal);

    /// <summary>Whether the failure means the server could not be reached or did not answer.</summary>
    public static bool IsUnavailable(Exception error) =>
        error is RedisConnectionException or RedisTimeoutException;

    /// <summary>The exception for a WRONGTYPE reply on <paramref name="key"/>.</summary>
    public static WrongTypeException WrongType(RedisKey key, RedisType expected, RedisType found, Exception error) =>
        new(key.ToString(), Name(expected), Name(found), error);

    /// <summary>The exception for a server that could not be reached or did not answer.</summary>
    public static RedisUnavailableException Unavailable(RedisKey key, Exception error) =>
        new($"Redis did not answer a command on key '{key}': {error.Message}", key.ToString(), error);

    /// <summary>Redis' own name for a type, as <c>TYPE</c> prints it.</summary>
    public static string Name(RedisType type) => type switch
    {
        RedisType.String => "string",
        RedisType.List => "list",
        RedisType.Set => "set",
        RedisType.SortedSet => "zset",
        RedisType.Hash => "hash",
        RedisType.Stream => "stream",
        RedisType.None => "missing key",
        _ => "value of unknown type",
    };
}

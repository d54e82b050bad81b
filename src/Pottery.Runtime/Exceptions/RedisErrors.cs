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
    /// <summary>Runs a synchronous Redis call on <paramref name="key"/>, translating its failures.</summary>
    public static T Run<T>(IDatabase database, RedisKey key, RedisType expected, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (RedisServerException error) when (IsWrongType(error))
        {
            throw WrongType(key, expected, FoundType(() => database.KeyType(key)), error);
        }
        catch (Exception error) when (IsUnavailable(error))
        {
            throw Unavailable(key, error);
        }
    }

    /// <summary>Runs an asynchronous Redis call on <paramref name="key"/>, translating its failures.</summary>
    /// <remarks>
    /// StackExchange.Redis cannot withdraw a command once written, so cancellation stops the
    /// wait: a cancelled write may still have happened, exactly as with a lost reply.
    /// </remarks>
    public static Task<T> RunAsync<T>(IDatabaseAsync database, RedisKey key, RedisType expected, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<T>(cancellationToken)
            : AwaitAsync(call(), call, static (_, reply) => reply, database, key, expected, cancellationToken);
    }

    /// <summary>
    /// Awaits a command already sent on <paramref name="key"/>, translating its failures, and maps
    /// the reply with <paramref name="map"/>. A static map with its data in <paramref name="state"/>
    /// keeps the hot path free of closures.
    /// </summary>
    public static async Task<TResult> AwaitAsync<TState, TReply, TResult>(Task<TReply> pending, TState state, Func<TState, TReply, TResult> map, IDatabaseAsync database, RedisKey key, RedisType expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(map);
        try
        {
            return map(state, await pending.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception error) when (IsWrongTypeOrUnavailable(error))
        {
            throw await TranslateAsync(error, database, key, expected).ConfigureAwait(false);
        }
    }

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

    private static RedisType FoundType(Func<RedisType> lookup)
    {
        try
        {
            return lookup();
        }
        catch (RedisException)
        {
            return RedisType.Unknown;
        }
    }
}

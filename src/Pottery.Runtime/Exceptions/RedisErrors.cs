using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The one place where StackExchange.Redis failures become Pottery exceptions: WRONGTYPE
/// becomes <see cref="WrongTypeException"/> naming the type found; an unreachable or silent
/// server, or one that answers "not now" (LOADING, READONLY, MASTERDOWN, CLUSTERDOWN, TRYAGAIN),
/// becomes <see cref="RedisUnavailableException"/>; an increment of a field that holds no number
/// becomes <see cref="CodecException"/> and one whose result would not fit becomes
/// <see cref="ArithmeticOverflowException"/>. Cancellation stays
/// <see cref="OperationCanceledException"/>, as .NET callers expect.
/// </summary>
internal static class RedisErrors
{
    // Replies by which a server says it cannot serve the command now but may soon (a replica that
    // is loading, was demoted or lost its master, a cluster that is failing over or resharding).
    private static readonly string[] NotNowReplies = ["LOADING ", "READONLY ", "MASTERDOWN ", "CLUSTERDOWN ", "TRYAGAIN "];

    /// <summary>Whether <see cref="TranslateAsync"/> has a Pottery exception for <paramref name="error"/>.</summary>
    public static bool IsTranslated(Exception error) =>
        error is RedisServerException server && (IsWrongType(server) || NumberError(server) != NumberFault.None) || IsUnavailable(error) || IsCrossSlot(error);

    /// <summary>
    /// Whether Redis Cluster (or StackExchange.Redis, before sending) refused a command whose keys are in
    /// several hash slots: a structure's helper keys share its slot by name, but a key prefix
    /// (<c>WithKeyPrefix</c>) without a hash tag changes the slot of a key without one and not of its helpers.
    /// </summary>
    public static bool IsCrossSlot(Exception error) =>
        error is RedisCommandException && error.Message.StartsWith("Multi-key operations must involve a single slot", StringComparison.Ordinal)
        || error is RedisServerException server && ScriptlessMessage(server).StartsWith("CROSSSLOT ", StringComparison.Ordinal);

    /// <summary>The exception for a command refused because its keys are in several hash slots.</summary>
    public static NotSupportedException CrossSlot(RedisKey key, Exception error) =>
        new($"Redis Cluster refused a command on key '{key}' and the helper keys it uses together, because they are in different hash slots " +
            "as the server sees them. That happens when the database adds a key prefix without a hash tag (WithKeyPrefix(\"app:\")): " +
            "give the key a hash tag ('{orders}') or the prefix one ('{app}:'). " + error.Message, error);

    /// <summary>
    /// The Pottery exception for a WRONGTYPE reply (naming the type found), an increment Redis
    /// refused (naming <paramref name="field"/> when given), or an unavailable server.
    /// </summary>
    public static async Task<Exception> TranslateAsync(Exception error, IDatabaseAsync database, RedisKey key, RedisType expected, RedisValue field = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (IsCrossSlot(error))
        {
            return CrossSlot(key, error);
        }

        if (error is not RedisServerException server || IsUnavailable(error))
        {
            return Unavailable(key, error);
        }

        if (NumberError(server) is var fault and not NumberFault.None)
        {
            return await NumberAsync(fault, server, database, key, field).ConfigureAwait(false);
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
        ScriptlessMessage(error).StartsWith("WRONGTYPE", StringComparison.Ordinal);

    /// <summary>
    /// A server error as Redis words it: Garnet reports an error raised by a command inside a script as
    /// <c>ERR Lua encountered an error: &lt;the command's error&gt;</c>, where Redis passes the command's error on.
    /// </summary>
    public static string ScriptlessMessage(RedisServerException error)
    {
        const string GarnetScriptPrefix = "ERR Lua encountered an error: ";
        return error.Message.StartsWith(GarnetScriptPrefix, StringComparison.Ordinal) ? error.Message[GarnetScriptPrefix.Length..] : error.Message;
    }

    /// <summary>Whether the failure means the server could not be reached, did not answer, or cannot serve the command now.</summary>
    public static bool IsUnavailable(Exception error) =>
        error is RedisConnectionException or RedisTimeoutException
        || error is RedisServerException server && Array.Exists(NotNowReplies, reply => ScriptlessMessage(server).StartsWith(reply, StringComparison.Ordinal));

    /// <summary>The exception for a WRONGTYPE reply on <paramref name="key"/>.</summary>
    public static WrongTypeException WrongType(RedisKey key, RedisType expected, RedisType found, Exception error) =>
        new(key.ToString(), Name(expected), Name(found), error);

    /// <summary>The exception for a server that could not be reached, did not answer, or cannot serve the command now.</summary>
    public static RedisUnavailableException Unavailable(RedisKey key, Exception error) =>
        new($"Redis did not answer a command on key '{key}': {error.Message}", key.ToString(), error);

    /// <summary>The exception for a stored value that is no integer (<paramref name="integer"/>) or no number, where an increment needs one.</summary>
    /// <param name="key">The key.</param>
    /// <param name="field">The field, if known.</param>
    /// <param name="integer">Whether an integer was needed, rather than a floating-point number.</param>
    /// <param name="stored">The stored value, if known.</param>
    /// <param name="error">Redis' own error, if any.</param>
    public static CodecException NotANumber(RedisKey key, string? field, bool integer, RedisValue stored, Exception? error = null) =>
        new(key.ToString(), field, integer ? nameof(Int64) : nameof(Double), CodecDecoding.Preview(stored), error);

    /// <summary>The exception for an increment whose result would not fit.</summary>
    /// <param name="key">The key.</param>
    /// <param name="field">The field, if known.</param>
    /// <param name="integer">Whether the value is a 64-bit integer, rather than a floating-point number.</param>
    /// <param name="error">Redis' own error, if any.</param>
    public static ArithmeticOverflowException Overflow(RedisKey key, string? field, bool integer, Exception? error = null)
    {
        var where = field is null ? $"a value at Redis key '{key}'" : $"field {field} of Redis key '{key}'";
        var range = integer ? $"outside the range of a 64-bit integer ({long.MinValue} to {long.MaxValue})" : "infinite or not a number";
        return new($"The result for {where} would be {range}; nothing was written.", key.ToString(), field, error);
    }

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

    // The replies of HINCRBY, HINCRBYFLOAT, INCRBY and INCRBYFLOAT that refuse an increment; the
    // command wrote nothing.
    private static NumberFault NumberError(RedisServerException error) => ScriptlessMessage(error) switch
    {
        var m when m.StartsWith("ERR hash value is not an integer", StringComparison.Ordinal) => NumberFault.NotAnInteger,
        var m when m.StartsWith("ERR hash value is not a float", StringComparison.Ordinal) => NumberFault.NotAFloat,
        var m when m.StartsWith("ERR increment or decrement would overflow", StringComparison.Ordinal) => NumberFault.IntegerOverflow,
        var m when m.StartsWith("ERR increment would produce NaN or Infinity", StringComparison.Ordinal) => NumberFault.FloatOverflow,
        _ => NumberFault.None,
    };

    private static async Task<Exception> NumberAsync(NumberFault fault, RedisServerException error, IDatabaseAsync database, RedisKey key, RedisValue field)
    {
        var name = field.IsNull ? null : field.ToString();
        if (fault is NumberFault.IntegerOverflow or NumberFault.FloatOverflow)
        {
            return Overflow(key, name, fault == NumberFault.IntegerOverflow, error);
        }

        // The value is read back only to show it, as a WRONGTYPE reply's type is.
        RedisValue stored;
        try
        {
            stored = field.IsNull ? RedisValue.Null : await database.HashGetAsync(key, field).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            stored = RedisValue.Null;
        }

        return NotANumber(key, name, fault == NumberFault.NotAnInteger, stored, error);
    }

    private enum NumberFault
    {
        None,
        NotAnInteger,
        NotAFloat,
        IntegerOverflow,
        FloatOverflow,
    }
}

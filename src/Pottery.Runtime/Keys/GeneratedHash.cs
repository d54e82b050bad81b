using System.ComponentModel;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The Redis calls behind <c>[RedisDict]</c> classes: the source generator's code calls these, so
/// what it emits stays small and every call gets Pottery's error mapping (WRONGTYPE, undecodable
/// bytes, missing fields, an unreachable server). Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedHash
{
    /// <summary>Reads one field (<c>HGET</c>).</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="codec">The field's codec.</param>
    /// <param name="required">Whether a missing field is an error rather than <see langword="default"/>.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="FieldMissingException">The field is missing and required.</exception>
    public static T Get<T>(IDatabase database, RedisKey key, string field, IRedisCodec<T> codec, bool required) =>
        Decode(RedisErrors.Run(database, key, RedisType.Hash, () => database.HashGet(key, field)), key, field, codec, required);

    /// <summary>Reads one field (<c>HGET</c>).</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="codec">The field's codec.</param>
    /// <param name="required">Whether a missing field is an error rather than <see langword="default"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The decoded value.</returns>
    public static Task<T> GetAsync<T>(IDatabase database, RedisKey key, string field, IRedisCodec<T> codec, bool required, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<T>(cancellationToken)
            : RedisErrors.AwaitAsync(
                database.HashGetAsync(key, field),
                (Key: key, Field: field, Codec: codec, Required: required),
                static (s, raw) => Decode(raw, s.Key, s.Field, s.Codec, s.Required),
                database,
                key,
                RedisType.Hash,
                cancellationToken);

    /// <summary>Writes one field (<c>HSET</c>, with the time to live renewed in the same script when given); a null value removes the field.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="value">The value.</param>
    /// <param name="codec">The field's codec.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    public static void Set<T>(IDatabase database, RedisKey key, string field, T? value, IRedisCodec<T> codec, TimeSpan? timeToLive) =>
        SetAsync(database, key, field, value, codec, timeToLive, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Writes one field; a null value removes it.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="value">The value.</param>
    /// <param name="codec">The field's codec.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when written.</returns>
    public static Task SetAsync<T>(IDatabase database, RedisKey key, string field, T? value, IRedisCodec<T> codec, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (value is null)
        {
            return SaveAsync(database, key, [], [field], timeToLive, cancellationToken);
        }

        if (timeToLive is null)
        {
            // The hot path: one HSET, awaited without closures.
            return cancellationToken.IsCancellationRequested
                ? Task.FromCanceled(cancellationToken)
                : RedisErrors.AwaitAsync(database.HashSetAsync(key, field, codec.Encode(value)), 0, static (_, _) => true, database, key, RedisType.Hash, cancellationToken);
        }

        return SaveAsync(database, key, [new HashEntry(field, codec.Encode(value))], [], timeToLive, cancellationToken);
    }

    /// <summary>Writes several fields in one atomic command: sets <paramref name="entries"/>, deletes <paramref name="removed"/>, renews the time to live when given.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="entries">The fields and encoded values to set.</param>
    /// <param name="removed">The fields to delete (null values).</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when written.</returns>
    public static Task SaveAsync(IDatabase database, RedisKey key, HashEntry[] entries, RedisValue[] removed, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(removed);
        if (timeToLive is null && removed.Length == 0)
        {
            return RedisErrors.RunAsync(database, key, RedisType.Hash, async () => { await database.HashSetAsync(key, entries).ConfigureAwait(false); return true; }, cancellationToken);
        }

        var values = new RedisValue[2 + removed.Length + entries.Length * 2];
        values[0] = timeToLive is { } ttl ? Milliseconds(ttl) : RedisValue.EmptyString;
        values[1] = removed.Length;
        removed.CopyTo(values, 2);
        for (var i = 0; i < entries.Length; i++)
        {
            values[2 + removed.Length + i * 2] = entries[i].Name;
            values[3 + removed.Length + i * 2] = entries[i].Value;
        }

        return RedisErrors.RunAsync(database, key, RedisType.Hash, () => HashWriteScripts.Save.EvaluateAsync(database, [key], values), cancellationToken);
    }

    /// <summary>Adds to an integer field (<c>HINCRBY</c>), renewing the time to live in the same script when given, and returns the new value.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="by">The amount.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    public static Task<long> IncrementAsync(IDatabase database, RedisKey key, string field, long by, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return timeToLive is { } ttl
            ? RedisErrors.RunAsync(database, key, RedisType.Hash, async () => (long)await HashWriteScripts.IncrementAndExpire.EvaluateAsync(database, [key], [Milliseconds(ttl), field, by, "i"]).ConfigureAwait(false), cancellationToken)
            : RedisErrors.RunAsync(database, key, RedisType.Hash, () => database.HashIncrementAsync(key, field, by), cancellationToken);
    }

    /// <summary>Adds to a floating-point field (<c>HINCRBYFLOAT</c>), renewing the time to live in the same script when given, and returns the new value.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="by">The amount.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    public static Task<double> IncrementAsync(IDatabase database, RedisKey key, string field, double by, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return timeToLive is { } ttl
            ? RedisErrors.RunAsync(database, key, RedisType.Hash, async () => (double)await HashWriteScripts.IncrementAndExpire.EvaluateAsync(database, [key], [Milliseconds(ttl), field, by, "f"]).ConfigureAwait(false), cancellationToken)
            : RedisErrors.RunAsync(database, key, RedisType.Hash, () => database.HashIncrementAsync(key, field, by), cancellationToken);
    }

    /// <summary>Removes a field (<c>HDEL</c>).</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the field existed.</returns>
    public static Task<bool> RemoveAsync(IDatabase database, RedisKey key, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return RedisErrors.RunAsync(database, key, RedisType.Hash, () => database.HashDeleteAsync(key, field), cancellationToken);
    }

    /// <summary>Reads several fields in one <c>HMGET</c>; decode each with <see cref="Decode{T}"/>.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="fields">The fields.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The raw values, in the fields' order; null where missing.</returns>
    public static Task<RedisValue[]> LoadAsync(IDatabase database, RedisKey key, RedisValue[] fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return RedisErrors.RunAsync(database, key, RedisType.Hash, () => database.HashGetAsync(key, fields), cancellationToken);
    }

    /// <summary>Whether the hash exists.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the key exists.</returns>
    public static Task<bool> ExistsAsync(IDatabase database, RedisKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return RedisErrors.RunAsync(database, key, RedisType.Hash, () => database.KeyExistsAsync(key), cancellationToken);
    }

    /// <summary>Deletes the hash.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it existed.</returns>
    public static Task<bool> DeleteAsync(IDatabase database, RedisKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return RedisErrors.RunAsync(database, key, RedisType.Hash, () => database.KeyDeleteAsync(key), cancellationToken);
    }

    /// <summary>Decodes a raw field value, or reports it missing.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="raw">The raw value; null when missing.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="codec">The field's codec.</param>
    /// <param name="required">Whether a missing field is an error rather than <see langword="default"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FieldMissingException">The field is missing and required.</exception>
    /// <exception cref="CodecException">The bytes cannot be decoded.</exception>
    public static T Decode<T>(RedisValue raw, RedisKey key, string field, IRedisCodec<T> codec, bool required)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (raw.IsNull)
        {
            return required ? throw new FieldMissingException(key.ToString(), field, typeof(T).Name) : default!;
        }

        return codec.DecodeAt(raw, key, field);
    }

    private static RedisValue Milliseconds(TimeSpan timeToLive) => (long)Math.Ceiling(timeToLive.TotalMilliseconds);
}

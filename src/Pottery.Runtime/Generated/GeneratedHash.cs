using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
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
    /// <summary>Waits for a generated async member: every generated sync member is this call on its async twin.</summary>
    /// <param name="pending">The async twin's call.</param>
    public static void Wait(ValueTask pending) => Sync.Wait(pending);

    /// <summary>Waits for a generated async member and returns its result: every generated sync member is this call on its async twin.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="pending">The async twin's call.</param>
    /// <returns>The result.</returns>
    public static T Wait<T>(ValueTask<T> pending) => Sync.Wait(pending);

    /// <summary>Reads one field (<c>HGET</c>).</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="codec">The field's codec.</param>
    /// <param name="required">Whether a missing field is an error rather than <see langword="default"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="FieldMissingException">The field is missing and required.</exception>
    public static ValueTask<T> GetAsync<T>(IDatabase database, RedisKey key, string field, IRedisCodec<T> codec, bool required, CancellationToken cancellationToken = default) =>
        CallAsync(
            database,
            key,
            (Field: field, Codec: codec, Required: required),
            static (d, k, s) => d.HashGetAsync(k, s.Field),
            static (raw, s, k) => Decode(raw, k, s.Field, s.Codec, s.Required),
            cancellationToken);

    /// <summary>Reads one field (<c>HGET</c>) of a type with a built-in or registered codec (<see cref="RedisCodecs.For{T}"/>).</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="required">Whether a missing field is an error rather than <see langword="default"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="FieldMissingException">The field is missing and required.</exception>
    public static ValueTask<T> GetAsync<T>(IDatabase database, RedisKey key, string field, bool required, CancellationToken cancellationToken = default) =>
        GetAsync(database, key, field, RedisCodecs.For<T>(), required, cancellationToken);

    /// <summary>Writes one field (<c>HSET</c>, with the time to live renewed in the same script when given); a null value removes the field.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="value">The value.</param>
    /// <param name="codec">The field's codec.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when written.</returns>
    public static ValueTask SetAsync<T>(IDatabase database, RedisKey key, string field, T? value, IRedisCodec<T> codec, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(codec);
        if (value is null)
        {
            return SaveAsync(database, key, [], [field], timeToLive, cancellationToken);
        }

        return timeToLive is null
            ? RedisCall.Async(database, key, RedisType.Hash, (Field: (RedisValue)field, Value: codec.Encode(value)), static (d, k, s) => d.HashSetAsync(k, s.Field, s.Value), cancellationToken)
            : SaveAsync(database, key, [new HashEntry(field, codec.Encode(value))], [], timeToLive, cancellationToken);
    }

    /// <summary>Writes one field (<c>HSET</c>, with the time to live renewed in the same script when given) of a type with a built-in or registered codec (<see cref="RedisCodecs.For{T}"/>); a null value removes the field.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="value">The value.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when written.</returns>
    public static ValueTask SetAsync<T>(IDatabase database, RedisKey key, string field, T? value, TimeSpan? timeToLive, CancellationToken cancellationToken = default) =>
        SetAsync(database, key, field, value, RedisCodecs.For<T>(), timeToLive, cancellationToken);

    /// <summary>Writes a snapshot's fields in one atomic command: each non-null value is set, each null one (see <see cref="Encode{T}(T, IRedisCodec{T})"/>) removes its field; renews the time to live when given.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="fields">The fields.</param>
    /// <param name="values">The encoded values, in the fields' order.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when written.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is not as long as <paramref name="fields"/>.</exception>
    public static ValueTask SaveFieldsAsync(IDatabase database, RedisKey key, RedisValue[] fields, RedisValue[] values, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        if (fields.Length != values.Length)
        {
            throw new ArgumentException("There must be one value per field.", nameof(values));
        }

        var removedCount = 0;
        foreach (var value in values)
        {
            removedCount += value.IsNull ? 1 : 0;
        }

        var entries = new HashEntry[values.Length - removedCount];
        var removed = removedCount == 0 ? [] : new RedisValue[removedCount];
        for (int i = 0, e = 0, r = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                removed[r++] = fields[i];
            }
            else
            {
                entries[e++] = new HashEntry(fields[i], values[i]);
            }
        }

        return SaveAsync(database, key, entries, removed, timeToLive, cancellationToken);
    }

    /// <summary>Encodes a snapshot's value for <see cref="SaveFieldsAsync"/>: <see cref="RedisValue.Null"/> (remove the field) when it is null.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="codec">The field's codec.</param>
    /// <returns>The encoded value, or <see cref="RedisValue.Null"/>.</returns>
    public static RedisValue Encode<T>(T? value, IRedisCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return value is null ? RedisValue.Null : codec.Encode(value);
    }

    /// <summary>Encodes a snapshot's value of a type with a built-in or registered codec (<see cref="RedisCodecs.For{T}"/>), as <see cref="Encode{T}(T, IRedisCodec{T})"/> does.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The encoded value, or <see cref="RedisValue.Null"/>.</returns>
    public static RedisValue Encode<T>(T? value) => value is null ? RedisValue.Null : RedisCodecs.For<T>().Encode(value);

    /// <summary>Writes several fields in one atomic command: sets <paramref name="entries"/>, deletes <paramref name="removed"/>, renews the time to live when given.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="entries">The fields and encoded values to set.</param>
    /// <param name="removed">The fields to delete (null values).</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when written.</returns>
    public static ValueTask SaveAsync(IDatabase database, RedisKey key, HashEntry[] entries, RedisValue[] removed, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(removed);
        if (timeToLive is null && removed.Length == 0)
        {
            return RedisCall.Async(database, key, RedisType.Hash, entries, static (d, k, e) => d.HashSetAsync(k, e), cancellationToken);
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

        // Sent as RedisCall.Script sends scripts (through StackExchange.Redis' script cache), without mapping a reply nobody reads.
        return RedisCall.Async(database, key, RedisType.Hash, values, static (d, k, v) => d.ScriptEvaluateAsync(HashWriteScripts.Save.Source, [k], v), cancellationToken);
    }

    /// <summary>Adds to an integer field (<c>HINCRBY</c>), renewing the time to live in the same script when given, and returns the new value.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="by">The amount.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArithmeticOverflowException">The value would leave the 64-bit range; nothing was written.</exception>
    /// <exception cref="CodecException">The stored value is no integer.</exception>
    public static ValueTask<long> IncrementAsync(IDatabase database, RedisKey key, string field, long by, TimeSpan? timeToLive, CancellationToken cancellationToken = default) =>
        timeToLive is { } ttl
            ? IncrementAndExpireAsync(database, key, field, [Milliseconds(ttl), field, by, "i"], static reply => (long)reply, cancellationToken)
            : RedisCall.Async(database, key, RedisType.Hash, field, (Field: (RedisValue)field, By: by), static (d, k, s) => d.HashIncrementAsync(k, s.Field, s.By), static (reply, _, _) => reply, cancellationToken);

    /// <summary>Adds to a floating-point field (<c>HINCRBYFLOAT</c>), renewing the time to live in the same script when given, and returns the new value.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="by">The amount.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArithmeticOverflowException">The value would become infinite or not a number; nothing was written.</exception>
    /// <exception cref="CodecException">The stored value is no number.</exception>
    public static ValueTask<double> IncrementAsync(IDatabase database, RedisKey key, string field, double by, TimeSpan? timeToLive, CancellationToken cancellationToken = default) =>
        timeToLive is { } ttl
            ? IncrementAndExpireAsync(database, key, field, [Milliseconds(ttl), field, by, "f"], static reply => (double)reply, cancellationToken)
            : RedisCall.Async(database, key, RedisType.Hash, field, (Field: (RedisValue)field, By: by), static (d, k, s) => d.HashIncrementAsync(k, s.Field, s.By), static (reply, _, _) => reply, cancellationToken);

    /// <summary>Adds to an integer field (<c>HINCRBY</c>), renewing the time to live in the same script when given, and returns the new value as the property's type.</summary>
    /// <typeparam name="T">The property's integer type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="by">The amount.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArithmeticOverflowException">The value would leave the 64-bit range; nothing was written.</exception>
    /// <exception cref="OverflowException">The new value (written) does not fit <typeparamref name="T"/>.</exception>
    /// <exception cref="CodecException">The stored value is no integer.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<T> IncrementAsync<T>(IDatabase database, RedisKey key, string field, long by, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
        where T : INumberBase<T> =>
        T.CreateChecked(await IncrementAsync(database, key, field, by, timeToLive, cancellationToken).ConfigureAwait(false));

    /// <summary>Adds to a floating-point field (<c>HINCRBYFLOAT</c>), renewing the time to live in the same script when given, and returns the new value as the property's type.</summary>
    /// <typeparam name="T">The property's floating-point type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="by">The amount.</param>
    /// <param name="timeToLive">The hash's time to live after the write, or <see langword="null"/> to leave it.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArithmeticOverflowException">The value would become infinite or not a number; nothing was written.</exception>
    /// <exception cref="CodecException">The stored value is no number.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<T> IncrementAsync<T>(IDatabase database, RedisKey key, string field, double by, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
        where T : INumberBase<T> =>
        T.CreateTruncating(await IncrementAsync(database, key, field, by, timeToLive, cancellationToken).ConfigureAwait(false));

    /// <summary>Removes a field (<c>HDEL</c>).</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the field existed.</returns>
    public static ValueTask<bool> RemoveAsync(IDatabase database, RedisKey key, string field, CancellationToken cancellationToken = default) =>
        CallAsync(database, key, (RedisValue)field, static (d, k, f) => d.HashDeleteAsync(k, f), static (reply, _, _) => reply, cancellationToken);

    /// <summary>Reads several fields in one <c>HMGET</c> and builds a snapshot from them.</summary>
    /// <typeparam name="TSnapshot">The snapshot's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="fields">The fields.</param>
    /// <param name="build">Builds the snapshot from the raw values (in the fields' order; null where missing), decoding each with <see cref="Decode{T}(RedisValue, RedisKey, string, IRedisCodec{T}, bool)"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The snapshot.</returns>
    public static ValueTask<TSnapshot> LoadAsync<TSnapshot>(IDatabase database, RedisKey key, RedisValue[] fields, Func<RedisValue[], RedisKey, TSnapshot> build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        return CallAsync(database, key, (Fields: fields, Build: build), static (d, k, s) => d.HashGetAsync(k, s.Fields), static (raw, s, k) => s.Build(raw, k), cancellationToken);
    }

    /// <summary>Reads several fields of a hash that exists and builds a snapshot from them, in one round trip; <see langword="null"/> when the hash does not exist.</summary>
    /// <typeparam name="TSnapshot">The snapshot's type.</typeparam>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="fields">The fields.</param>
    /// <param name="build">Builds the snapshot from the raw values (see <see cref="LoadAsync{TSnapshot}"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The snapshot, or <see langword="null"/>.</returns>
    public static ValueTask<TSnapshot?> TryLoadAsync<TSnapshot>(IDatabase database, RedisKey key, RedisValue[] fields, Func<RedisValue[], RedisKey, TSnapshot> build, CancellationToken cancellationToken = default)
        where TSnapshot : struct
    {
        ArgumentNullException.ThrowIfNull(build);
        return RedisCall.Script(database, key, RedisType.Hash, HashScripts.GetIfExists, [key], fields, build, static (reply, build, k) => reply.IsNull ? (TSnapshot?)null : build((RedisValue[])reply!, k), cancellationToken);
    }

    /// <summary>Whether the hash exists.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the key exists.</returns>
    public static ValueTask<bool> ExistsAsync(IDatabase database, RedisKey key, CancellationToken cancellationToken = default) =>
        CallAsync(database, key, 0, static (d, k, _) => d.KeyExistsAsync(k), static (reply, _, _) => reply, cancellationToken);

    /// <summary>Deletes the hash.</summary>
    /// <param name="database">The database.</param>
    /// <param name="key">The hash.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it existed.</returns>
    public static ValueTask<bool> DeleteAsync(IDatabase database, RedisKey key, CancellationToken cancellationToken = default) =>
        CallAsync(database, key, 0, static (d, k, _) => d.KeyDeleteAsync(k), static (reply, _, _) => reply, cancellationToken);

    /// <summary>Writes a generated <c>[RedisDict&lt;TKey, TValue&gt;]</c> dictionary's initial entries in one atomic write and returns it.</summary>
    /// <typeparam name="TDict">The generated dictionary type.</typeparam>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <param name="dict">The dictionary, just opened.</param>
    /// <param name="items">The initial entries; a later entry for the same key wins.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns><paramref name="dict"/>, once written.</returns>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public static async ValueTask<TDict> CreateAsync<TDict, TKey, TValue>(TDict dict, IEnumerable<KeyValuePair<TKey, TValue>> items, CancellationToken cancellationToken = default)
        where TDict : RedisDict<TKey, TValue>
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(dict);
        await dict.InitializeAsync(items, cancellationToken).ConfigureAwait(false);
        return dict;
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

    /// <summary>Decodes a raw field value of a type with a built-in or registered codec (<see cref="RedisCodecs.For{T}"/>), or reports it missing.</summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="raw">The raw value; null when missing.</param>
    /// <param name="key">The hash.</param>
    /// <param name="field">The field.</param>
    /// <param name="required">Whether a missing field is an error rather than <see langword="default"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FieldMissingException">The field is missing and required.</exception>
    /// <exception cref="CodecException">The bytes cannot be decoded.</exception>
    public static T Decode<T>(RedisValue raw, RedisKey key, string field, bool required) => Decode(raw, key, field, RedisCodecs.For<T>(), required);

    private static RedisValue Milliseconds(TimeSpan timeToLive) => (long)Math.Ceiling(timeToLive.TotalMilliseconds);

    // The increment and the renewed time to live in one script, sent as RedisCall.Script sends
    // scripts, on the field so a refused increment is reported with it.
    private static ValueTask<T> IncrementAndExpireAsync<T>(IDatabase database, RedisKey key, string field, RedisValue[] values, Func<RedisResult, T> map, CancellationToken cancellationToken) =>
        RedisCall.Async(database, key, RedisType.Hash, field, (Values: values, Map: map), static (d, k, s) => d.ScriptEvaluateAsync(HashWriteScripts.IncrementAndExpire.Source, [k], s.Values), static (reply, s, _) => s.Map(reply), cancellationToken);

    // A command on a generated class' hash, through the one call path.
    private static ValueTask<TResult> CallAsync<TState, TReply, TResult>(IDatabase database, RedisKey key, TState state, Func<IDatabase, RedisKey, TState, Task<TReply>> send, Func<TReply, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        RedisCall.Async(database, key, RedisType.Hash, state, send, map, cancellationToken);
}

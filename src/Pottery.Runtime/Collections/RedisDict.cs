using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A dictionary stored in a Redis hash, usable like <see cref="Dictionary{TKey, TValue}"/>
/// (pottery's <c>RedisDict</c>). Each key is a hash field and each value its field value, both
/// written by codecs (plain strings by default; <see cref="PotteryJsonCodec{T}"/> for both to
/// share the hash with Python pottery).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// Every member is one round trip, and has a sync and an async form. <see cref="Keys"/>,
/// <see cref="Values"/> and <see cref="ToDictionary"/> read the whole hash at once; enumerating
/// (<c>foreach</c>, LINQ, or <c>await foreach</c> over <see cref="AsAsyncEnumerable"/>) streams it
/// with <c>HSCAN</c>, which may return an entry changed during the scan twice or not at all, as
/// Redis documents.
/// </remarks>
public class RedisDict<TKey, TValue> : RedisObject, IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    private readonly IRedisCodec<TKey> _keys;
    private readonly IRedisCodec<TValue> _values;

    /// <summary>Opens the dictionary at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="keyCodec">How keys are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="valueCodec">How values are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public RedisDict(IDatabase database, RedisKey? key = null, IRedisCodec<TKey>? keyCodec = null, IRedisCodec<TValue>? valueCodec = null)
        : base(database, key)
    {
        _keys = keyCodec ?? RedisCodecs.For<TKey>();
        _values = valueCodec ?? RedisCodecs.For<TValue>();
    }

    /// <summary>Creates the dictionary with initial contents, in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial entries; a later entry for the same key wins.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="keyCodec">How keys are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="valueCodec">How values are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public RedisDict(IDatabase database, IEnumerable<KeyValuePair<TKey, TValue>> items, RedisKey? key = null, IRedisCodec<TKey>? keyCodec = null, IRedisCodec<TValue>? valueCodec = null)
        : this(database, key, keyCodec, valueCodec)
    {
        Sync.Wait(InitializeAsync(items, CancellationToken.None));
    }

    /// <summary>Gets or sets the value of <paramref name="key"/> (<c>HGET</c>/<c>HSET</c>); the async twins are <see cref="GetAsync"/> and <see cref="SetAsync"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="KeyNotFoundException">Getting a key that is not in the dictionary.</exception>
    public TValue this[TKey key]
    {
        get => Sync.Wait(GetAsync(key));
        set => Sync.Wait(SetAsync(key, value));
    }

    /// <summary>The number of entries (<c>HLEN</c>).</summary>
    public int Count => Sync.Wait(CountAsync());

    /// <summary>All keys, read at once (<c>HKEYS</c>).</summary>
    public ICollection<TKey> Keys => Sync.Wait(KeysAsync());

    /// <summary>All values, read at once (<c>HVALS</c>).</summary>
    public ICollection<TValue> Values => Sync.Wait(ValuesAsync());

    /// <inheritdoc />
    public bool IsReadOnly => false;

    IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => Keys;

    IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => Values;

    /// <summary>Creates the dictionary with initial contents, in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial entries; a later entry for the same key wins.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="keyCodec">How keys are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="valueCodec">How values are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The dictionary.</returns>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public static async ValueTask<RedisDict<TKey, TValue>> CreateAsync(IDatabase database, IEnumerable<KeyValuePair<TKey, TValue>> items, RedisKey? key = null, IRedisCodec<TKey>? keyCodec = null, IRedisCodec<TValue>? valueCodec = null, CancellationToken cancellationToken = default)
    {
        var dict = new RedisDict<TKey, TValue>(database, key, keyCodec, valueCodec);
        await dict.InitializeAsync(items, cancellationToken).ConfigureAwait(false);
        return dict;
    }

    /// <summary>Gets the value of <paramref name="key"/> (<c>HGET</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The key is not in the dictionary.</exception>
    public ValueTask<TValue> GetAsync(TKey key, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Dict: this, Key: key, Field: EncodeKey(key)),
            static (database, hash, s) => database.HashGetAsync(hash, s.Field),
            static (raw, s, _) => s.Dict.Found(s.Key, raw),
            cancellationToken);

    /// <summary>Sets the value of <paramref name="key"/>, adding or replacing it (<c>HSET</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has stored it.</returns>
    public ValueTask SetAsync(TKey key, TValue value, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Field: EncodeKey(key), Value: _values.Encode(value)),
            static (database, hash, s) => database.HashSetAsync(hash, s.Field, s.Value),
            cancellationToken);

    /// <summary>Gets the value of <paramref name="key"/> if it is present (<c>HGET</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or default when absent.</param>
    /// <returns>Whether the key is present.</returns>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        (var found, value) = Sync.Wait(TryGetValueAsync(key));
        return found;
    }

    /// <summary>Gets the value of <paramref name="key"/> if it is present (<c>HGET</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the key is present, and its value (default when absent).</returns>
    public ValueTask<(bool Found, TValue? Value)> TryGetValueAsync(TKey key, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Dict: this, Key: key, Field: EncodeKey(key)),
            static (database, hash, s) => database.HashGetAsync(hash, s.Field),
            static (raw, s, _) => s.Dict.Decode(s.Key, raw),
            cancellationToken);

    /// <summary>Adds an entry whose key must not be present yet, atomically (<c>HSETNX</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The key is already present, as with <see cref="Dictionary{TKey, TValue}.Add"/>.</exception>
    public void Add(TKey key, TValue value) => Sync.Wait(AddAsync(key, value));

    /// <summary>Adds an entry whose key must not be present yet, atomically (<c>HSETNX</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has stored it.</returns>
    /// <exception cref="ArgumentException">The key is already present.</exception>
    public async ValueTask AddAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        if (!await TryAddAsync(key, value, cancellationToken).ConfigureAwait(false))
        {
            throw Duplicate(key);
        }
    }

    /// <summary>Adds an entry unless its key is present, atomically (<c>HSETNX</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether it was added.</returns>
    public bool TryAdd(TKey key, TValue value) => Sync.Wait(TryAddAsync(key, value));

    /// <summary>Adds an entry unless its key is present, atomically (<c>HSETNX</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was added.</returns>
    public ValueTask<bool> TryAddAsync(TKey key, TValue value, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Field: EncodeKey(key), Value: _values.Encode(value)),
            static (database, hash, s) => database.HashSetAsync(hash, s.Field, s.Value, When.NotExists),
            static (added, _, _) => added,
            cancellationToken);

    /// <summary>Removes <paramref name="key"/> (<c>HDEL</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(TKey key) => Sync.Wait(RemoveAsync(key));

    /// <summary>Removes <paramref name="key"/> (<c>HDEL</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was present.</returns>
    public ValueTask<bool> RemoveAsync(TKey key, CancellationToken cancellationToken = default) =>
        CallAsync(EncodeKey(key), static (database, hash, field) => database.HashDeleteAsync(hash, field), static (removed, _, _) => removed, cancellationToken);

    /// <summary>Whether <paramref name="key"/> is present (<c>HEXISTS</c>); false for a key the codec cannot encode, which cannot have been stored.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it is present.</returns>
    public bool ContainsKey(TKey key) => Sync.Wait(ContainsKeyAsync(key));

    /// <summary>Whether <paramref name="key"/> is present (<c>HEXISTS</c>); false for a key the codec cannot encode, which cannot have been stored.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it is present.</returns>
    public ValueTask<bool> ContainsKeyAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _keys.TryEncode(key, out var field)
            ? CallAsync(field, static (database, hash, field) => database.HashExistsAsync(hash, field), static (found, _, _) => found, cancellationToken)
            : NeverStoredAsync(false, cancellationToken);
    }

    /// <summary>The number of entries (<c>HLEN</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, hash, _) => database.HashLengthAsync(hash), static (length, _, _) => (int)length, cancellationToken);

    /// <summary>Adds or replaces many entries in one <c>HSET</c>, like <c>ImmutableDictionary.SetItems</c> (pottery's <c>update</c>).</summary>
    /// <param name="items">The entries; a later entry for the same key wins.</param>
    public void SetItems(IEnumerable<KeyValuePair<TKey, TValue>> items) => Sync.Wait(SetItemsAsync(items));

    /// <summary>Adds or replaces many entries in one <c>HSET</c> (pottery's <c>update</c>).</summary>
    /// <param name="items">The entries; a later entry for the same key wins.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has stored them.</returns>
    public ValueTask SetItemsAsync(IEnumerable<KeyValuePair<TKey, TValue>> items, CancellationToken cancellationToken = default)
    {
        var entries = Encode(items);
        return entries.Length == 0
            ? ValueTask.CompletedTask
            : CallAsync(entries, static (database, hash, entries) => database.HashSetAsync(hash, entries), cancellationToken);
    }

    /// <summary>Removes every entry (deletes the hash).</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Removes every entry (deletes the hash).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the hash is gone.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, hash, _) => database.KeyDeleteAsync(hash), cancellationToken);

    /// <summary>Reads the whole dictionary in one <c>HGETALL</c>.</summary>
    /// <returns>A copy in memory.</returns>
    public Dictionary<TKey, TValue> ToDictionary() => Sync.Wait(ToDictionaryAsync());

    /// <summary>Reads the whole dictionary in one <c>HGETALL</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A copy in memory.</returns>
    public ValueTask<Dictionary<TKey, TValue>> ToDictionaryAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, hash, _) => database.HashGetAllAsync(hash), static (entries, dict, _) => dict.Decode(entries), cancellationToken);

    /// <summary>All keys, read at once (<c>HKEYS</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The keys.</returns>
    public ValueTask<List<TKey>> KeysAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, hash, _) => database.HashKeysAsync(hash), static (fields, dict, _) => fields.Select(dict.DecodeKey).ToList(), cancellationToken);

    /// <summary>All values, read at once (<c>HVALS</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The values.</returns>
    public ValueTask<List<TValue>> ValuesAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, hash, _) => database.HashValuesAsync(hash), static (values, dict, hash) => values.Select((raw, i) => dict._values.DecodeAt(raw, hash, $"value #{i}")).ToList(), cancellationToken);

    /// <summary>Adds <paramref name="by"/> to the integer value of <paramref name="key"/> atomically (<c>HINCRBY</c>); a missing key counts as 0.</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <returns>The new value.</returns>
    /// <remarks>Pottery's <c>d[k] += 1</c> reads and writes in two steps; this cannot lose a concurrent update.</remarks>
    /// <exception cref="ArithmeticOverflowException">The value would leave the 64-bit range; it is unchanged.</exception>
    /// <exception cref="CodecException">The stored value is no integer.</exception>
    public long Increment(TKey key, long by = 1) => Sync.Wait(IncrementAsync(key, by));

    /// <summary>Adds <paramref name="by"/> to the integer value of <paramref name="key"/> atomically (<c>HINCRBY</c>); a missing key counts as 0.</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArithmeticOverflowException">The value would leave the 64-bit range; it is unchanged.</exception>
    /// <exception cref="CodecException">The stored value is no integer.</exception>
    public ValueTask<long> IncrementAsync(TKey key, long by = 1, CancellationToken cancellationToken = default)
    {
        var field = EncodeKey(key);
        return CallAsync(field, (Field: field, By: by), static (database, hash, s) => database.HashIncrementAsync(hash, s.Field, s.By), static (value, _, _) => value, cancellationToken);
    }

    /// <summary>Adds <paramref name="by"/> to the floating-point value of <paramref name="key"/> atomically (<c>HINCRBYFLOAT</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArithmeticOverflowException">The value would become infinite or not a number; it is unchanged.</exception>
    /// <exception cref="CodecException">The stored value is no number.</exception>
    public double Increment(TKey key, double by) => Sync.Wait(IncrementAsync(key, by));

    /// <summary>Adds <paramref name="by"/> to the floating-point value of <paramref name="key"/> atomically (<c>HINCRBYFLOAT</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArithmeticOverflowException">The value would become infinite or not a number; it is unchanged.</exception>
    /// <exception cref="CodecException">The stored value is no number.</exception>
    public ValueTask<double> IncrementAsync(TKey key, double by, CancellationToken cancellationToken = default)
    {
        var field = EncodeKey(key);
        return CallAsync(field, (Field: field, By: by), static (database, hash, s) => database.HashIncrementAsync(hash, s.Field, s.By), static (value, _, _) => value, cancellationToken);
    }

    /// <summary>
    /// Whether both dictionaries hold the same entries. Between dictionaries on the same server
    /// (and hash slot) Redis compares the stored bytes in one script, without downloading either;
    /// otherwise both are read and compared here.
    /// </summary>
    /// <param name="other">The other dictionary; it should use the same codecs.</param>
    /// <returns>Whether the contents are equal.</returns>
    public bool ContentEquals(RedisDict<TKey, TValue> other) => Sync.Wait(ContentEqualsAsync(other));

    /// <summary>Whether both dictionaries hold the same entries (see <see cref="ContentEquals(RedisDict{TKey, TValue})"/>).</summary>
    /// <param name="other">The other dictionary; it should use the same codecs.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the contents are equal.</returns>
    public async ValueTask<bool> ContentEqualsAsync(RedisDict<TKey, TValue> other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SharesScriptScopeWith(other)
            ? await EvaluateAsync(HashScripts.ContentEquals, [Key, other.Key], [], 0, static (equal, _, _) => (long)equal == 1, cancellationToken).ConfigureAwait(false)
            : await ContentEqualsAsync(await other.ToDictionaryAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether this dictionary holds exactly the entries of <paramref name="other"/> (one <c>HGETALL</c>).</summary>
    /// <param name="other">An in-memory dictionary.</param>
    /// <returns>Whether the contents are equal, values compared with <see cref="EqualityComparer{T}.Default"/>.</returns>
    public bool ContentEquals(IReadOnlyDictionary<TKey, TValue> other) => Sync.Wait(ContentEqualsAsync(other));

    /// <summary>Whether this dictionary holds exactly the entries of <paramref name="other"/> (one <c>HGETALL</c>).</summary>
    /// <param name="other">An in-memory dictionary.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the contents are equal.</returns>
    public async ValueTask<bool> ContentEqualsAsync(IReadOnlyDictionary<TKey, TValue> other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SameEntries(await ToDictionaryAsync(cancellationToken).ConfigureAwait(false), other);
    }

    /// <summary>Streams the entries with <c>HSCAN</c>, a page at a time; the async twin is <see cref="AsAsyncEnumerable"/>.</summary>
    /// <returns>The entries.</returns>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => Paging.Wait(AsAsyncEnumerable()).GetEnumerator();

    /// <summary>
    /// Streams the entries with <c>HSCAN</c>, a page at a time, for <c>await foreach</c>. A method
    /// rather than <see cref="IAsyncEnumerable{T}"/> on the dictionary, so LINQ binds to
    /// <see cref="Enumerable"/> on every .NET version.
    /// </summary>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerable<KeyValuePair<TKey, TValue>> AsAsyncEnumerable([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await foreach (var entry in Paging.Scan(Database, Key, RedisType, Database.HashScanAsync(Key), cancellationToken).ConfigureAwait(false))
        {
            yield return DecodeEntry(entry);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> item) =>
        TryGetValue(item.Key, out var value) && EqualityComparer<TValue>.Default.Equals(value, item.Value);

    void ICollection<KeyValuePair<TKey, TValue>>.CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<TKey, TValue>>)ToDictionary()).CopyTo(array, arrayIndex);

    // Removes the entry only if it still holds this value, in one script.
    bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> item) =>
        Sync.Wait(EvaluateAsync(HashScripts.RemoveIfEqual, [Key], [EncodeKey(item.Key), _values.Encode(item.Value)], 0, static (removed, _, _) => (long)removed == 1, CancellationToken.None));

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.Hash;

    private static bool SameEntries(Dictionary<TKey, TValue> mine, IReadOnlyDictionary<TKey, TValue> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return mine.Count == other.Count
            && mine.All(entry => other.TryGetValue(entry.Key, out var value) && EqualityComparer<TValue>.Default.Equals(entry.Value, value));
    }

    // Internal so a generated subclass's CreateAsync (GeneratedHash.CreateAsync) returns the subclass, with its codecs.
    internal ValueTask InitializeAsync(IEnumerable<KeyValuePair<TKey, TValue>> items, CancellationToken cancellationToken)
    {
        var entries = Encode(items);
        return entries.Length == 0
            ? ValueTask.CompletedTask
            : WriteInitialContentsAsync((transaction, hash) => transaction.HashSetAsync(hash, entries), cancellationToken);
    }

    private static ArgumentException Duplicate(TKey key) =>
        new($"An entry with the key '{key}' is already in the dictionary.", nameof(key));

    private RedisValue EncodeKey(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _keys.Encode(key);
    }

    private HashEntry[] Encode(IEnumerable<KeyValuePair<TKey, TValue>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Select(item => new HashEntry(EncodeKey(item.Key), _values.Encode(item.Value))).ToArray();
    }

    private TKey DecodeKey(RedisValue field) => _keys.DecodeAt(field, Key, "(a key)");

    private KeyValuePair<TKey, TValue> DecodeEntry(HashEntry entry) =>
        new(DecodeKey(entry.Name), _values.DecodeAt(entry.Value, Key, entry.Name));

    private Dictionary<TKey, TValue> Decode(HashEntry[] entries) => entries.Select(DecodeEntry).ToDictionary();

    private TValue Found(TKey key, RedisValue raw) =>
        raw.IsNull
            ? throw new KeyNotFoundException($"The key '{key}' is not in the dictionary at Redis key '{Key}'.")
            : _values.DecodeAt(raw, Key, raw.IsNull ? null : key.ToString());

    private (bool Found, TValue? Value) Decode(TKey key, RedisValue raw) =>
        raw.IsNull ? (false, default!) : (true, _values.DecodeAt(raw, Key, key.ToString()));
}

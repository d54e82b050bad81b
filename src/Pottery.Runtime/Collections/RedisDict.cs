using System.Collections;
using System.Diagnostics.CodeAnalysis;
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
/// Every member is one round trip. <see cref="Keys"/>, <see cref="Values"/> and
/// <see cref="ToDictionary"/> read the whole hash at once; enumerating streams it with
/// <c>HSCAN</c>, which may return an entry changed during the scan twice or not at all, as Redis
/// documents.
/// </remarks>
public class RedisDict<TKey, TValue> : RedisObject, IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>, IAsyncEnumerable<KeyValuePair<TKey, TValue>>
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
        var entries = Encode(items);
        if (entries.Length > 0)
        {
            WriteInitialContents(transaction => transaction.HashSetAsync(Key, entries));
        }
    }

    /// <summary>Gets or sets the value of <paramref name="key"/> (<c>HGET</c>/<c>HSET</c>).</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="KeyNotFoundException">Getting a key that is not in the dictionary.</exception>
    public TValue this[TKey key]
    {
        get => Found(key, Call(() => Database.HashGet(Key, EncodeKey(key))));
        set
        {
            var (field, stored) = (EncodeKey(key), _values.Encode(value));
            Call(() => Database.HashSet(Key, field, stored));
        }
    }

    /// <summary>The number of entries (<c>HLEN</c>).</summary>
    public int Count => (int)Call(() => Database.HashLength(Key));

    /// <summary>All keys, read at once (<c>HKEYS</c>).</summary>
    public ICollection<TKey> Keys => Call(() => Database.HashKeys(Key)).Select(DecodeKey).ToList();

    /// <summary>All values, read at once (<c>HVALS</c>).</summary>
    public ICollection<TValue> Values => Call(() => Database.HashValues(Key)).Select((raw, i) => _values.DecodeAt(raw, Key, $"value #{i}")).ToList();

    /// <inheritdoc />
    public bool IsReadOnly => false;

    IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => Keys;

    IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => Values;

    /// <summary>Gets the value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The key is not in the dictionary.</exception>
    public Task<TValue> GetAsync(TKey key, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Dict: this, Key: key, Field: EncodeKey(key)),
            static s => s.Dict.Database.HashGetAsync(s.Dict.Key, s.Field),
            static (s, raw) => s.Dict.Found(s.Key, raw),
            cancellationToken);

    /// <summary>Sets the value of <paramref name="key"/>, adding or replacing it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has stored it.</returns>
    public Task SetAsync(TKey key, TValue value, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Dict: this, Field: EncodeKey(key), Value: _values.Encode(value)),
            static s => s.Dict.Database.HashSetAsync(s.Dict.Key, s.Field, s.Value),
            static (_, added) => added,
            cancellationToken);

    /// <summary>Gets the value of <paramref name="key"/> if it is present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or default when absent.</param>
    /// <returns>Whether the key is present.</returns>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var raw = Call(() => Database.HashGet(Key, EncodeKey(key)));
        (var found, value) = Decode(key, raw);
        return found;
    }

    /// <summary>Gets the value of <paramref name="key"/> if it is present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the key is present, and its value (default when absent).</returns>
    public async Task<(bool Found, TValue? Value)> TryGetValueAsync(TKey key, CancellationToken cancellationToken = default)
    {
        var field = EncodeKey(key);
        return Decode(key, await CallAsync(() => Database.HashGetAsync(Key, field), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Adds an entry whose key must not be present yet, atomically (<c>HSETNX</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The key is already present, as with <see cref="Dictionary{TKey, TValue}.Add"/>.</exception>
    public void Add(TKey key, TValue value)
    {
        if (!TryAdd(key, value))
        {
            throw Duplicate(key);
        }
    }

    /// <summary>Adds an entry whose key must not be present yet, atomically (<c>HSETNX</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has stored it.</returns>
    /// <exception cref="ArgumentException">The key is already present.</exception>
    public async Task AddAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
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
    public bool TryAdd(TKey key, TValue value)
    {
        var (field, stored) = (EncodeKey(key), _values.Encode(value));
        return Call(() => Database.HashSet(Key, field, stored, When.NotExists));
    }

    /// <summary>Adds an entry unless its key is present, atomically (<c>HSETNX</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was added.</returns>
    public Task<bool> TryAddAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        var (field, stored) = (EncodeKey(key), _values.Encode(value));
        return CallAsync(() => Database.HashSetAsync(Key, field, stored, When.NotExists), cancellationToken);
    }

    /// <summary>Removes <paramref name="key"/> (<c>HDEL</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(TKey key)
    {
        var field = EncodeKey(key);
        return Call(() => Database.HashDelete(Key, field));
    }

    /// <summary>Removes <paramref name="key"/> (<c>HDEL</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was present.</returns>
    public Task<bool> RemoveAsync(TKey key, CancellationToken cancellationToken = default)
    {
        var field = EncodeKey(key);
        return CallAsync(() => Database.HashDeleteAsync(Key, field), cancellationToken);
    }

    /// <summary>Whether <paramref name="key"/> is present (<c>HEXISTS</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it is present.</returns>
    public bool ContainsKey(TKey key)
    {
        var field = EncodeKey(key);
        return Call(() => Database.HashExists(Key, field));
    }

    /// <summary>Whether <paramref name="key"/> is present (<c>HEXISTS</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it is present.</returns>
    public Task<bool> ContainsKeyAsync(TKey key, CancellationToken cancellationToken = default)
    {
        var field = EncodeKey(key);
        return CallAsync(() => Database.HashExistsAsync(Key, field), cancellationToken);
    }

    /// <summary>The number of entries (<c>HLEN</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        (int)await CallAsync(() => Database.HashLengthAsync(Key), cancellationToken).ConfigureAwait(false);

    /// <summary>Adds or replaces many entries in one <c>HSET</c> (Python's <c>dict.update</c>).</summary>
    /// <param name="items">The entries; a later entry for the same key wins.</param>
    public void Update(IEnumerable<KeyValuePair<TKey, TValue>> items)
    {
        var entries = Encode(items);
        if (entries.Length > 0)
        {
            Call(() => { Database.HashSet(Key, entries); return true; });
        }
    }

    /// <summary>Adds or replaces many entries in one <c>HSET</c> (Python's <c>dict.update</c>).</summary>
    /// <param name="items">The entries; a later entry for the same key wins.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis has stored them.</returns>
    public async Task UpdateAsync(IEnumerable<KeyValuePair<TKey, TValue>> items, CancellationToken cancellationToken = default)
    {
        var entries = Encode(items);
        if (entries.Length > 0)
        {
            await CallAsync(async () => { await Database.HashSetAsync(Key, entries).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every entry (deletes the hash).</summary>
    public void Clear() => Call(() => Database.KeyDelete(Key));

    /// <summary>Removes every entry (deletes the hash).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the hash is gone.</returns>
    public Task ClearAsync(CancellationToken cancellationToken = default) =>
        CallAsync(() => Database.KeyDeleteAsync(Key), cancellationToken);

    /// <summary>Reads the whole dictionary in one <c>HGETALL</c>.</summary>
    /// <returns>A copy in memory.</returns>
    public Dictionary<TKey, TValue> ToDictionary() => Decode(Call(() => Database.HashGetAll(Key)));

    /// <summary>Reads the whole dictionary in one <c>HGETALL</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A copy in memory.</returns>
    public async Task<Dictionary<TKey, TValue>> ToDictionaryAsync(CancellationToken cancellationToken = default) =>
        Decode(await CallAsync(() => Database.HashGetAllAsync(Key), cancellationToken).ConfigureAwait(false));

    /// <summary>All keys, read at once (<c>HKEYS</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The keys.</returns>
    public async Task<List<TKey>> KeysAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => Database.HashKeysAsync(Key), cancellationToken).ConfigureAwait(false)).Select(DecodeKey).ToList();

    /// <summary>All values, read at once (<c>HVALS</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The values.</returns>
    public async Task<List<TValue>> ValuesAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => Database.HashValuesAsync(Key), cancellationToken).ConfigureAwait(false)).Select((raw, i) => _values.DecodeAt(raw, Key, $"value #{i}")).ToList();

    /// <summary>Adds <paramref name="by"/> to the integer value of <paramref name="key"/> atomically (<c>HINCRBY</c>); a missing key counts as 0.</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <returns>The new value.</returns>
    /// <remarks>Pottery's <c>d[k] += 1</c> reads and writes in two steps; this cannot lose a concurrent update.</remarks>
    public long Increment(TKey key, long by = 1)
    {
        var field = EncodeKey(key);
        return Call(() => Database.HashIncrement(Key, field, by));
    }

    /// <summary>Adds <paramref name="by"/> to the integer value of <paramref name="key"/> atomically (<c>HINCRBY</c>); a missing key counts as 0.</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    public Task<long> IncrementAsync(TKey key, long by = 1, CancellationToken cancellationToken = default)
    {
        var field = EncodeKey(key);
        return CallAsync(() => Database.HashIncrementAsync(Key, field, by), cancellationToken);
    }

    /// <summary>Adds <paramref name="by"/> to the floating-point value of <paramref name="key"/> atomically (<c>HINCRBYFLOAT</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <returns>The new value.</returns>
    public double Increment(TKey key, double by)
    {
        var field = EncodeKey(key);
        return Call(() => Database.HashIncrement(Key, field, by));
    }

    /// <summary>Adds <paramref name="by"/> to the floating-point value of <paramref name="key"/> atomically (<c>HINCRBYFLOAT</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="by">The amount, negative to subtract.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new value.</returns>
    public Task<double> IncrementAsync(TKey key, double by, CancellationToken cancellationToken = default)
    {
        var field = EncodeKey(key);
        return CallAsync(() => Database.HashIncrementAsync(Key, field, by), cancellationToken);
    }

    /// <summary>
    /// Whether both dictionaries hold the same entries. Between dictionaries on the same server
    /// (and hash slot) Redis compares the stored bytes in one script, without downloading either;
    /// otherwise both are read and compared here.
    /// </summary>
    /// <param name="other">The other dictionary; it should use the same codecs.</param>
    /// <returns>Whether the contents are equal.</returns>
    public bool ContentEquals(RedisDict<TKey, TValue> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SharesScriptScopeWith(other)
            ? (long)Evaluate(HashScripts.ContentEquals, [Key, other.Key], []) == 1
            : ContentEquals(other.ToDictionary());
    }

    /// <summary>Whether both dictionaries hold the same entries (see <see cref="ContentEquals(RedisDict{TKey, TValue})"/>).</summary>
    /// <param name="other">The other dictionary; it should use the same codecs.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the contents are equal.</returns>
    public async Task<bool> ContentEqualsAsync(RedisDict<TKey, TValue> other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SharesScriptScopeWith(other)
            ? (long)await EvaluateAsync(HashScripts.ContentEquals, [Key, other.Key], [], cancellationToken).ConfigureAwait(false) == 1
            : await ContentEqualsAsync(await other.ToDictionaryAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether this dictionary holds exactly the entries of <paramref name="other"/> (one <c>HGETALL</c>).</summary>
    /// <param name="other">An in-memory dictionary.</param>
    /// <returns>Whether the contents are equal, values compared with <see cref="EqualityComparer{T}.Default"/>.</returns>
    public bool ContentEquals(IReadOnlyDictionary<TKey, TValue> other) => SameEntries(ToDictionary(), other);

    /// <summary>Whether this dictionary holds exactly the entries of <paramref name="other"/> (one <c>HGETALL</c>).</summary>
    /// <param name="other">An in-memory dictionary.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the contents are equal.</returns>
    public async Task<bool> ContentEqualsAsync(IReadOnlyDictionary<TKey, TValue> other, CancellationToken cancellationToken = default) =>
        SameEntries(await ToDictionaryAsync(cancellationToken).ConfigureAwait(false), other);

    /// <summary>Streams the entries with <c>HSCAN</c>.</summary>
    /// <returns>The entries.</returns>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() =>
        Stream(Database.HashScan(Key)).Select(DecodeEntry).GetEnumerator();

    /// <summary>Streams the entries with <c>HSCAN</c>, a page at a time.</summary>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerator<KeyValuePair<TKey, TValue>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var entry in StreamAsync(Database.HashScanAsync(Key), cancellationToken).ConfigureAwait(false))
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
        (long)Evaluate(HashScripts.RemoveIfEqual, [Key], [EncodeKey(item.Key), _values.Encode(item.Value)]) == 1;

    /// <inheritdoc />
    protected override RedisType RedisType => RedisType.Hash;

    private static bool SameEntries(Dictionary<TKey, TValue> mine, IReadOnlyDictionary<TKey, TValue> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return mine.Count == other.Count
            && mine.All(entry => other.TryGetValue(entry.Key, out var value) && EqualityComparer<TValue>.Default.Equals(entry.Value, value));
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

    private (bool Found, TValue Value) Decode(TKey key, RedisValue raw) =>
        raw.IsNull ? (false, default!) : (true, _values.DecodeAt(raw, Key, key.ToString()));
}

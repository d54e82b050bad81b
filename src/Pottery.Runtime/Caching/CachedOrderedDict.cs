using System.Collections;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// An ordered dictionary hydrated from a Redis hash used as a cache (pottery's
/// <c>CachedOrderedDict</c>): give it the keys you need, in order; the cached ones are loaded in
/// one <c>HMGET</c>, <see cref="Misses"/> lists the rest, and each value you then set is stored in the
/// cache for the next caller. Enumeration follows the keys' given order.
/// </summary>
/// <typeparam name="TKey">The key type (the hash's fields).</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// The dictionary holds the resolved entries: <see cref="Count"/>, the indexer and enumeration see
/// hits and values set since, not misses. <see cref="OrderedKeys"/> lists every key, misses included.
/// </remarks>
public sealed class CachedOrderedDict<TKey, TValue> : RedisObject, IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    private readonly IRedisCodec<TKey> _keyCodec;
    private readonly IRedisCodec<TValue> _valueCodec;
    private readonly RedisValue _timeoutMilliseconds;
    private readonly List<TKey> _order = [];
    private readonly Dictionary<TKey, TValue> _values = [];
    private readonly HashSet<TKey> _misses = [];

    private CachedOrderedDict(bool load, IDatabase database, RedisKey key, IEnumerable<TKey> keys, TimeSpan? timeout, IRedisCodec<TKey>? keyCodec, IRedisCodec<TValue>? valueCodec)
        : base(database, key)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var limit = timeout ?? RedisCache.DefaultTimeout;
        if (limit <= TimeSpan.Zero && limit != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A cache timeout must be positive, or Timeout.InfiniteTimeSpan for none.");
        }

        _keyCodec = keyCodec ?? RedisCodecs.For<TKey>();
        _valueCodec = valueCodec ?? RedisCodecs.For<TValue>();
        Timeout = limit == System.Threading.Timeout.InfiniteTimeSpan ? null : limit;
        _timeoutMilliseconds = Timeout is { } ttl ? (long)Math.Ceiling(ttl.TotalMilliseconds) : RedisValue.EmptyString;
        foreach (var item in keys)
        {
            if (_misses.Add(item))
            {
                _order.Add(item);
            }
        }

        if (load)
        {
            Sync.Wait(HydrateAsync(CancellationToken.None));
        }
    }

    /// <summary>Loads the cached values of <paramref name="keys"/> from the hash at <paramref name="key"/> in one <c>HMGET</c>.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key (pottery's <c>redis_key</c>).</param>
    /// <param name="keys">The keys to look up, in the order to keep (pottery's <c>dict_keys</c>); repeats are ignored.</param>
    /// <param name="timeout">Every write renews the cache hash's time to live to this: <see cref="RedisCache.DefaultTimeout"/> (60 s, as in pottery) when <see langword="null"/>, never when <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (pottery's <c>timeout=None</c>).</param>
    /// <param name="keyCodec">How keys are stored as fields; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="valueCodec">How values are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is zero or negative (other than infinite).</exception>
    public CachedOrderedDict(IDatabase database, RedisKey key, IEnumerable<TKey> keys, TimeSpan? timeout = null, IRedisCodec<TKey>? keyCodec = null, IRedisCodec<TValue>? valueCodec = null)
        : this(load: true, database, key, keys, timeout, keyCodec, valueCodec)
    {
    }

    /// <summary>How long the cache hash lives after each write, or <see langword="null"/> for ever.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The number of resolved entries (hits and values set).</summary>
    public int Count => _values.Count;

    /// <summary>Every key in order, misses included.</summary>
    public IReadOnlyList<TKey> OrderedKeys => _order;

    /// <summary>The resolved keys, in order.</summary>
    public IEnumerable<TKey> Keys => _order.Where(_values.ContainsKey);

    /// <summary>The resolved values, in their keys' order.</summary>
    public IEnumerable<TValue> Values => Keys.Select(key => _values[key]);

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.Hash;

    /// <summary>A resolved value; setting one stores it in the cache hash as well.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The key is a miss or unknown.</exception>
    public TValue this[TKey key]
    {
        get => _values.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException(_misses.Contains(key)
                ? $"The key '{key}' was not in the cache '{Key}': compute it and set it (see Misses)."
                : $"The key '{key}' is not among this dictionary's keys.");
        set => Sync.Wait(SetAsync(key, value));
    }

    /// <summary>The keys not found in the cache and not set since: those still to compute, in order (pottery's <c>misses()</c>).</summary>
    public IReadOnlyList<TKey> Misses => _order.Where(_misses.Contains).ToArray();

    /// <summary>Looks up the cached values of <paramref name="keys"/> in one <c>HMGET</c>, without blocking a thread.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The cache hash's key.</param>
    /// <param name="keys">The keys to look up, in the order to keep.</param>
    /// <param name="timeout">Every write renews the cache hash's time to live to this: <see cref="RedisCache.DefaultTimeout"/> (60 s, as in pottery) when <see langword="null"/>, never when <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (pottery's <c>timeout=None</c>).</param>
    /// <param name="keyCodec">How keys are stored as fields.</param>
    /// <param name="valueCodec">How values are stored.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The hydrated dictionary.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is zero or negative (other than infinite).</exception>
    public static async ValueTask<CachedOrderedDict<TKey, TValue>> CreateAsync(IDatabase database, RedisKey key, IEnumerable<TKey> keys, TimeSpan? timeout = null, IRedisCodec<TKey>? keyCodec = null, IRedisCodec<TValue>? valueCodec = null, CancellationToken cancellationToken = default)
    {
        var dictionary = new CachedOrderedDict<TKey, TValue>(load: false, database, key, keys, timeout, keyCodec, valueCodec);
        await dictionary.HydrateAsync(cancellationToken).ConfigureAwait(false);
        return dictionary;
    }

    /// <inheritdoc />
    public bool ContainsKey(TKey key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(TKey key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value) => _values.TryGetValue(key, out value);

    /// <summary>Sets values and stores them in the cache hash in one atomic write, like <c>ImmutableDictionary.SetItems</c> (pottery's <c>update</c>).</summary>
    /// <param name="entries">The keys and values; new keys go to the end of the order.</param>
    public void SetItems(IEnumerable<KeyValuePair<TKey, TValue>> entries) => Sync.Wait(SetItemsAsync(entries));

    /// <summary>Sets values and stores them in the cache hash in one atomic write (pottery's <c>update</c>).</summary>
    /// <param name="entries">The keys and values; new keys go to the end of the order.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when stored.</returns>
    public async ValueTask SetItemsAsync(IEnumerable<KeyValuePair<TKey, TValue>> entries, CancellationToken cancellationToken = default)
    {
        var pairs = Pairs(entries);
        if (pairs.Length > 0)
        {
            await EvaluateAsync(HashWriteScripts.Save, [Key], Store(pairs), 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);
            Remember(pairs);
        }
    }

    /// <summary>Sets one value and stores it in the cache hash; the sync twin is the indexer.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when stored.</returns>
    public ValueTask SetAsync(TKey key, TValue value, CancellationToken cancellationToken = default) => SetItemsAsync([new(key, value)], cancellationToken);

    /// <summary>
    /// The resolved value of <paramref name="key"/>; for a miss, stores <paramref name="value"/> and
    /// returns it, like <c>ConcurrentDictionary.GetOrAdd</c> (pottery's <c>setdefault</c>).
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value to store when the key has none.</param>
    /// <returns>The key's value.</returns>
    public TValue GetOrAdd(TKey key, TValue value) => Sync.Wait(GetOrAddAsync(key, value));

    /// <summary>The resolved value of <paramref name="key"/>; for a miss, stores <paramref name="value"/> and returns it (pottery's <c>setdefault</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value to store when the key has none.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The key's value.</returns>
    public async ValueTask<TValue> GetOrAddAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        if (_values.TryGetValue(key, out var existing))
        {
            return existing;
        }

        await SetAsync(key, value, cancellationToken).ConfigureAwait(false);
        return value;
    }

    /// <summary>The resolved entries in order.</summary>
    /// <returns>An enumerator over the entries.</returns>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() =>
        Keys.Select(key => new KeyValuePair<TKey, TValue>(key, _values[key])).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Reads every key's cached value in one HMGET.
    private async ValueTask HydrateAsync(CancellationToken cancellationToken)
    {
        if (_order.Count > 0)
        {
            Hydrate(await CallAsync(_order.Select(_keyCodec.Encode).ToArray(), static (database, hash, fields) => database.HashGetAsync(hash, fields), static (cached, _, _) => cached, cancellationToken).ConfigureAwait(false));
        }
    }

    private void Hydrate(RedisValue[] cached)
    {
        for (var i = 0; i < cached.Length; i++)
        {
            if (!cached[i].IsNull)
            {
                var key = _order[i];
                _values[key] = _valueCodec.DecodeAt(cached[i], Key, _keyCodec.Encode(key));
                _misses.Remove(key);
            }
        }
    }

    private static KeyValuePair<TKey, TValue>[] Pairs(IEnumerable<KeyValuePair<TKey, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.ToArray();
    }

    private RedisValue[] Store(KeyValuePair<TKey, TValue>[] pairs)
    {
        // The time to live, no fields to delete, then field/value pairs.
        var arguments = new RedisValue[2 + pairs.Length * 2];
        arguments[0] = _timeoutMilliseconds;
        arguments[1] = 0;
        for (var i = 0; i < pairs.Length; i++)
        {
            arguments[2 + i * 2] = _keyCodec.Encode(pairs[i].Key);
            arguments[3 + i * 2] = _valueCodec.Encode(pairs[i].Value);
        }

        return arguments;
    }

    // Only after Redis accepted the write, so the dictionary never shows what the cache lacks.
    private void Remember(KeyValuePair<TKey, TValue>[] pairs)
    {
        foreach (var (key, value) in pairs)
        {
            if (!_values.ContainsKey(key) && !_misses.Contains(key))
            {
                _order.Add(key);
            }

            _values[key] = value;
            _misses.Remove(key);
        }
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A multiset stored in a Redis hash of counts, like Python's <c>collections.Counter</c>
/// (pottery's <c>RedisCounter</c>): each element is a field, its count the field's integer value,
/// so <c>HINCRBY</c> changes counts atomically. Missing elements count 0.
/// </summary>
/// <remarks>
/// Counts are exact 64-bit integers. An update whose result would not fit throws
/// <see cref="ArithmeticOverflowException"/> and one that meets a count that is no integer throws
/// <see cref="CodecException"/>; either way nothing is written, however many elements it updates.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RedisCounter<T> : RedisObject, IReadOnlyDictionary<T, long>
    where T : notnull
{
    private static readonly IRedisCodec<long> Counts = RedisCodecs.For<long>();

    // No count can absorb an amount beyond 2^64 either way, so amounts are capped there: every
    // result stays what it would be, and the scripts' decimal parser needs at most 20 digits.
    private static readonly Int128 AmountLimit = (Int128)ulong.MaxValue + 1;
    private readonly IRedisCodec<T> _codec;

    /// <summary>Opens the counter at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public RedisCounter(IDatabase database, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, key, codec, slotOf: null)
    {
    }

    /// <summary>A counter at <paramref name="key"/>, or at a random key in <paramref name="slotOf"/>'s hash slot.</summary>
    private RedisCounter(IDatabase database, RedisKey? key, IRedisCodec<T>? codec, RedisKey? slotOf)
        : base(database, key, slotOf)
    {
        _codec = codec ?? RedisCodecs.For<T>();
    }

    /// <summary>Creates the counter counting <paramref name="items"/> (<c>Counter('abracadabra')</c>), in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The elements to count.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public RedisCounter(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, key, codec)
    {
        Sync.Wait(InitializeAsync(items, CancellationToken.None));
    }

    /// <summary>Creates the counter holding <paramref name="counts"/> as they are, zero and negative ones too (<c>Counter({'a': 2})</c>), in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="counts">Elements and their counts; an element given twice gets the sum.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="KeyExistsException"><paramref name="counts"/> is not empty and the key already exists.</exception>
    /// <exception cref="ArithmeticOverflowException">The counts given for one element add up past the 64-bit range; nothing was written.</exception>
    public RedisCounter(IDatabase database, IEnumerable<KeyValuePair<T, long>> counts, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, key, codec)
    {
        Sync.Wait(InitializeAsync(counts, CancellationToken.None));
    }

    /// <summary>The count of <paramref name="item"/>; 0 when absent. Setting stores the count as it is. The async twins are <see cref="GetAsync"/> and <see cref="SetAsync"/>.</summary>
    /// <param name="item">The element.</param>
    public long this[T item]
    {
        get => Sync.Wait(GetAsync(item));
        set => Sync.Wait(SetAsync(item, value));
    }

    /// <summary>The number of distinct elements (<c>HLEN</c>).</summary>
    public int Count => Sync.Wait(CountAsync());

    /// <summary>The distinct elements (<c>HKEYS</c>).</summary>
    public IEnumerable<T> Keys => Sync.Wait(KeysAsync());

    /// <summary>The counts (<c>HVALS</c>).</summary>
    public IEnumerable<long> Values => Sync.Wait(ValuesAsync());

    /// <summary>Creates the counter counting <paramref name="items"/>, in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The elements to count.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public static async ValueTask<RedisCounter<T>> CreateAsync(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null, CancellationToken cancellationToken = default)
    {
        var counter = new RedisCounter<T>(database, key, codec);
        await counter.InitializeAsync(items, cancellationToken).ConfigureAwait(false);
        return counter;
    }

    /// <summary>Creates the counter holding <paramref name="counts"/> as they are (<c>Counter({'a': 2})</c>), in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="counts">Elements and their counts; an element given twice gets the sum.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="KeyExistsException"><paramref name="counts"/> is not empty and the key already exists.</exception>
    /// <exception cref="ArithmeticOverflowException">The counts given for one element add up past the 64-bit range; nothing was written.</exception>
    public static async ValueTask<RedisCounter<T>> CreateAsync(IDatabase database, IEnumerable<KeyValuePair<T, long>> counts, RedisKey? key = null, IRedisCodec<T>? codec = null, CancellationToken cancellationToken = default)
    {
        var counter = new RedisCounter<T>(database, key, codec);
        await counter.InitializeAsync(counts, cancellationToken).ConfigureAwait(false);
        return counter;
    }

    /// <summary>The count of <paramref name="item"/>; 0 when absent (<c>HGET</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public ValueTask<long> GetAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Counter: this, Item: item, Field: _codec.Encode(item)),
            static (database, hash, s) => database.HashGetAsync(hash, s.Field),
            static (raw, s, _) => s.Counter.CountOf(s.Item, raw),
            cancellationToken);

    /// <summary>Stores the count of <paramref name="item"/> as it is (<c>HSET</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="count">The count.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public ValueTask SetAsync(T item, long count, CancellationToken cancellationToken = default) =>
        CallAsync((Field: _codec.Encode(item), Count: count), static (database, hash, s) => database.HashSetAsync(hash, s.Field, s.Count), cancellationToken);

    /// <summary>The number of distinct elements (<c>HLEN</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, hash, _) => database.HashLengthAsync(hash), static (length, _, _) => (int)length, cancellationToken);

    /// <summary>The distinct elements (<c>HKEYS</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The elements.</returns>
    public ValueTask<List<T>> KeysAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, hash, _) => database.HashKeysAsync(hash), static (fields, counter, _) => fields.Select(counter.DecodeElement).ToList(), cancellationToken);

    /// <summary>The counts (<c>HVALS</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The counts.</returns>
    public ValueTask<List<long>> ValuesAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, hash, _) => database.HashValuesAsync(hash), static (counts, _, hash) => counts.Select(raw => Counts.DecodeAt(raw, hash, "(a count)")).ToList(), cancellationToken);

    /// <summary>Adds <paramref name="by"/> to the count of <paramref name="item"/> atomically (<c>HINCRBY</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="by">The amount; negative subtracts.</param>
    /// <returns>The new count.</returns>
    /// <remarks>Pottery's <c>c[k] += 1</c> is a read and a write; this cannot lose a concurrent increment.</remarks>
    /// <exception cref="ArithmeticOverflowException">The count would leave the 64-bit range; it is unchanged.</exception>
    /// <exception cref="CodecException">The stored count is no integer.</exception>
    public long Increment(T item, long by = 1) => Sync.Wait(IncrementAsync(item, by));

    /// <summary>Adds <paramref name="by"/> to the count of <paramref name="item"/> atomically (<c>HINCRBY</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="by">The amount; negative subtracts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new count.</returns>
    /// <exception cref="ArithmeticOverflowException">The count would leave the 64-bit range; it is unchanged.</exception>
    /// <exception cref="CodecException">The stored count is no integer.</exception>
    public ValueTask<long> IncrementAsync(T item, long by = 1, CancellationToken cancellationToken = default)
    {
        var field = _codec.Encode(item);
        return CallAsync(field, (Field: field, By: by), static (database, hash, s) => database.HashIncrementAsync(hash, s.Field, s.By), static (count, _, _) => count, cancellationToken);
    }

    /// <summary>Counts <paramref name="items"/> in, in one round trip (pottery's <c>update(iterable)</c>).</summary>
    /// <param name="items">The elements; repeated ones count repeatedly.</param>
    public void IncrementRange(IEnumerable<T> items) => Sync.Wait(IncrementRangeAsync(items));

    /// <summary>Adds counts, in one round trip (pottery's <c>update(mapping)</c>).</summary>
    /// <param name="counts">Elements and amounts.</param>
    public void IncrementRange(IEnumerable<KeyValuePair<T, long>> counts) => Sync.Wait(IncrementRangeAsync(counts));

    /// <summary>Counts <paramref name="items"/> out, in one round trip (pottery's <c>subtract(iterable)</c>); counts may become zero or negative, as in Python.</summary>
    /// <param name="items">The elements.</param>
    public void DecrementRange(IEnumerable<T> items) => Sync.Wait(DecrementRangeAsync(items));

    /// <summary>Subtracts counts, in one round trip (pottery's <c>subtract(mapping)</c>).</summary>
    /// <param name="counts">Elements and amounts.</param>
    public void DecrementRange(IEnumerable<KeyValuePair<T, long>> counts) => Sync.Wait(DecrementRangeAsync(counts));

    /// <summary>Counts <paramref name="items"/> in, in one round trip (pottery's <c>update(iterable)</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public ValueTask IncrementRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => IncrementManyAsync(Pairs(items), 1, cancellationToken);

    /// <summary>Adds counts, in one round trip (pottery's <c>update(mapping)</c>).</summary>
    /// <param name="counts">Elements and amounts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public ValueTask IncrementRangeAsync(IEnumerable<KeyValuePair<T, long>> counts, CancellationToken cancellationToken = default) => IncrementManyAsync(counts, 1, cancellationToken);

    /// <summary>Counts <paramref name="items"/> out, in one round trip (pottery's <c>subtract(iterable)</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public ValueTask DecrementRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => IncrementManyAsync(Pairs(items), -1, cancellationToken);

    /// <summary>Subtracts counts, in one round trip (pottery's <c>subtract(mapping)</c>).</summary>
    /// <param name="counts">Elements and amounts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public ValueTask DecrementRangeAsync(IEnumerable<KeyValuePair<T, long>> counts, CancellationToken cancellationToken = default) => IncrementManyAsync(counts, -1, cancellationToken);

    /// <summary>
    /// The <paramref name="n"/> most common elements and their counts, most common first
    /// (pottery's <c>most_common</c>); all when <paramref name="n"/> is null. Redis hashes have no
    /// insertion order, so equal counts are ordered by their stored bytes.
    /// </summary>
    /// <param name="n">How many, or <see langword="null"/> for all.</param>
    /// <returns>Elements with counts.</returns>
    public List<KeyValuePair<T, long>> MostCommon(int? n = null) => Sync.Wait(MostCommonAsync(n));

    /// <summary>The <paramref name="n"/> most common elements (see <see cref="MostCommon"/>).</summary>
    /// <param name="n">How many, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Elements with counts.</returns>
    public ValueTask<List<KeyValuePair<T, long>>> MostCommonAsync(int? n = null, CancellationToken cancellationToken = default) =>
        CallAsync((Counter: this, N: n), static (database, hash, _) => database.HashGetAllAsync(hash), static (entries, s, _) => s.Counter.Ranked(entries, s.N), cancellationToken);

    /// <summary>Each element repeated as often as its count; elements with counts below one are left out (pottery's <c>elements</c>).</summary>
    /// <returns>The elements.</returns>
    public List<T> Elements() => Sync.Wait(ElementsAsync());

    /// <summary>Each element repeated as often as its count; elements with counts below one are left out (pottery's <c>elements</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The elements.</returns>
    public async ValueTask<List<T>> ElementsAsync(CancellationToken cancellationToken = default) =>
        (await ToDictionaryAsync(cancellationToken).ConfigureAwait(false)).SelectMany(entry => Enumerable.Repeat(entry.Key, (int)Math.Max(0, entry.Value))).ToList();

    /// <summary>The sum of all counts (pottery's <c>total</c>), in one <c>HVALS</c>.</summary>
    /// <returns>The total.</returns>
    /// <exception cref="ArithmeticOverflowException">The total is outside the 64-bit range.</exception>
    public long Total() => Sync.Wait(TotalAsync());

    /// <summary>The sum of all counts (pottery's <c>total</c>), in one <c>HVALS</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The total.</returns>
    /// <exception cref="ArithmeticOverflowException">The total is outside the 64-bit range.</exception>
    public async ValueTask<long> TotalAsync(CancellationToken cancellationToken = default)
    {
        var total = Int128.Zero;
        foreach (var count in await ValuesAsync(cancellationToken).ConfigureAwait(false))
        {
            total += count;
        }

        return total >= long.MinValue && total <= long.MaxValue
            ? (long)total
            : throw new ArithmeticOverflowException($"The total of the counts at Redis key '{Key}' is {total}, outside the range of a 64-bit integer.", Key.ToString());
    }

    /// <summary>Whether <paramref name="key"/> has a count, even zero (<c>HEXISTS</c>).</summary>
    /// <param name="key">The element.</param>
    /// <returns>Whether it is present.</returns>
    public bool ContainsKey(T key) => Sync.Wait(ContainsKeyAsync(key));

    /// <summary>Whether <paramref name="key"/> has a count, even zero (<c>HEXISTS</c>); false for an element the codec cannot encode, which cannot have been stored.</summary>
    /// <param name="key">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it is present.</returns>
    public ValueTask<bool> ContainsKeyAsync(T key, CancellationToken cancellationToken = default) =>
        _codec.TryEncode(key, out var field)
            ? CallAsync(field, static (database, hash, field) => database.HashExistsAsync(hash, field), static (found, _, _) => found, cancellationToken)
            : NeverStoredAsync(false, cancellationToken);

    /// <summary>The count of <paramref name="key"/> if present (<c>HGET</c>).</summary>
    /// <param name="key">The element.</param>
    /// <param name="value">Its count, or 0.</param>
    /// <returns>Whether it is present.</returns>
    public bool TryGetValue(T key, [MaybeNullWhen(false)] out long value)
    {
        (var found, value) = Sync.Wait(TryGetValueAsync(key));
        return found;
    }

    /// <summary>The count of <paramref name="key"/> if present (<c>HGET</c>).</summary>
    /// <param name="key">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it is present, and its count (0 when absent).</returns>
    public ValueTask<(bool Found, long Value)> TryGetValueAsync(T key, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Counter: this, Item: key, Field: _codec.Encode(key)),
            static (database, hash, s) => database.HashGetAsync(hash, s.Field),
            static (raw, s, _) => (!raw.IsNull, s.Counter.CountOf(s.Item, raw)),
            cancellationToken);

    /// <summary>Removes an element and its count (<c>HDEL</c>; pottery's <c>del c[x]</c>).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(T item) => Sync.Wait(RemoveAsync(item));

    /// <summary>Removes an element and its count (<c>HDEL</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was present.</returns>
    public ValueTask<bool> RemoveAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(_codec.Encode(item), static (database, hash, field) => database.HashDeleteAsync(hash, field), static (removed, _, _) => removed, cancellationToken);

    /// <summary>Removes every count (deletes the hash).</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Removes every count (deletes the hash).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the hash is gone.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, hash, _) => database.KeyDeleteAsync(hash), cancellationToken);

    /// <summary>Every element with its count, in one <c>HGETALL</c>.</summary>
    /// <returns>A copy in memory.</returns>
    public Dictionary<T, long> ToDictionary() => Sync.Wait(ToDictionaryAsync());

    /// <summary>Every element with its count, in one <c>HGETALL</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A copy in memory.</returns>
    public ValueTask<Dictionary<T, long>> ToDictionaryAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, hash, _) => database.HashGetAllAsync(hash), static (entries, counter, _) => entries.Select(counter.DecodeEntry).ToDictionary(), cancellationToken);

    /// <summary>
    /// A new counter combining this one with <paramref name="other"/> (pottery's <c>+ - | &amp;</c>),
    /// computed by Redis in one script; only positive counts are kept.
    /// </summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter (read in Redis when on the same server) or in-memory counts.</param>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns. On Redis Cluster it must share this key's hash slot.</param>
    /// <returns>The new counter.</returns>
    /// <remarks>
    /// One script writes the result, so on Redis Cluster the result must be in this counter's hash slot:
    /// a random result key gets this key's hash tag (<c>pottery:{&lt;tag&gt;}:&lt;random&gt;</c>), and a
    /// <paramref name="destination"/> in another slot is refused with <see cref="NotSupportedException"/>.
    /// A counter in another slot as <paramref name="other"/> is read here and sent along.
    /// </remarks>
    public RedisCounter<T> Combine(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other, RedisKey? destination = null) =>
        Sync.Wait(CombineAsync(operation, other, destination));

    /// <summary>A new counter combining this one with <paramref name="other"/> (see <see cref="Combine"/>).</summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter or in-memory counts.</param>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns, in this key's hash slot (see <see cref="Combine"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new counter.</returns>
    public ValueTask<RedisCounter<T>> CombineAsync(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other, RedisKey? destination = null, CancellationToken cancellationToken = default) =>
        CombineToNewAsync(Symbol(operation), other, destination, cancellationToken);

    /// <summary>Pottery's <c>+c</c>: a new counter with this one's positive counts, computed by Redis in one script; the operator is <c>+counter</c>.</summary>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns, chosen as for <see cref="Combine"/>.</param>
    /// <returns>The new counter.</returns>
    public RedisCounter<T> Plus(RedisKey? destination = null) => Sync.Wait(PlusAsync(destination));

    /// <summary>Pottery's <c>+c</c>: a new counter with this one's positive counts (see <see cref="Plus"/>).</summary>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new counter.</returns>
    public ValueTask<RedisCounter<T>> PlusAsync(RedisKey? destination = null, CancellationToken cancellationToken = default) =>
        CombineToNewAsync("+", [], destination, cancellationToken);

    /// <summary>
    /// Pottery's <c>-c</c>: a new counter holding each negative count of this one, negated (so
    /// positive), computed by Redis in one script; the operator is <c>-counter</c>.
    /// </summary>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns, chosen as for <see cref="Combine"/>.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArithmeticOverflowException">A count is <see cref="long.MinValue"/>, whose negation does not fit; nothing was written.</exception>
    public RedisCounter<T> Negate(RedisKey? destination = null) => Sync.Wait(NegateAsync(destination));

    /// <summary>Pottery's <c>-c</c>: a new counter holding each negative count of this one, negated (see <see cref="Negate"/>).</summary>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArithmeticOverflowException">A count is <see cref="long.MinValue"/>, whose negation does not fit; nothing was written.</exception>
    public ValueTask<RedisCounter<T>> NegateAsync(RedisKey? destination = null, CancellationToken cancellationToken = default) =>
        CombineToNewAsync("neg", [], destination, cancellationToken);

    /// <summary>Combines <paramref name="other"/> into this counter atomically (pottery's <c>+= -= |= &amp;=</c>); only positive counts remain.</summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter or in-memory counts.</param>
    public void CombineInPlace(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other) => Sync.Wait(CombineInPlaceAsync(operation, other));

    /// <summary>Combines <paramref name="other"/> into this counter atomically; only positive counts remain.</summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter or in-memory counts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counter is updated.</returns>
    public ValueTask CombineInPlaceAsync(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other, CancellationToken cancellationToken = default) =>
        CombineIntoAsync(Symbol(operation), other, this, cancellationToken);

    /// <summary>Pottery's <c>a + b</c>: a new counter with counts added (positive ones kept); the async form is <see cref="CombineAsync"/>.</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key in <paramref name="left"/>'s hash slot (<see cref="Combine"/> says why).</returns>
    public static RedisCounter<T> operator +(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Add, right);

    /// <summary>Pottery's <c>a - b</c>: a new counter with counts subtracted (positive ones kept).</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key in <paramref name="left"/>'s hash slot (<see cref="Combine"/> says why).</returns>
    public static RedisCounter<T> operator -(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Subtract, right);

    /// <summary>Pottery's <c>a | b</c>: a new counter with the larger of each count.</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key in <paramref name="left"/>'s hash slot (<see cref="Combine"/> says why).</returns>
    public static RedisCounter<T> operator |(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Union, right);

    /// <summary>Pottery's <c>a &amp; b</c>: a new counter with the smaller of each count.</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key in <paramref name="left"/>'s hash slot (<see cref="Combine"/> says why).</returns>
    public static RedisCounter<T> operator &(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Intersect, right);

    /// <summary>Pottery's <c>+c</c>: a new counter with the positive counts; the async form is <see cref="PlusAsync"/>.</summary>
    /// <param name="counter">The counter.</param>
    /// <returns>A new counter at a random key.</returns>
    public static RedisCounter<T> operator +(RedisCounter<T> counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return counter.Plus();
    }

    /// <summary>Pottery's <c>-c</c>: a new counter with the negative counts negated; the async form is <see cref="NegateAsync"/>.</summary>
    /// <param name="counter">The counter.</param>
    /// <returns>A new counter at a random key.</returns>
    public static RedisCounter<T> operator -(RedisCounter<T> counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return counter.Negate();
    }

    /// <summary>Streams elements and counts with <c>HSCAN</c>, a page at a time; the async twin is <see cref="AsAsyncEnumerable"/>.</summary>
    /// <returns>The entries.</returns>
    public IEnumerator<KeyValuePair<T, long>> GetEnumerator() => Paging.Wait(AsAsyncEnumerable()).GetEnumerator();

    /// <summary>
    /// Streams elements and counts with <c>HSCAN</c>, a page at a time, for <c>await foreach</c>. A
    /// method rather than <see cref="IAsyncEnumerable{T}"/> on the counter, so LINQ binds to
    /// <see cref="Enumerable"/> on every .NET version.
    /// </summary>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerable<KeyValuePair<T, long>> AsAsyncEnumerable([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await foreach (var entry in Paging.Scan(Database, Key, RedisType, Database.HashScanAsync(Key), cancellationToken).ConfigureAwait(false))
        {
            yield return DecodeEntry(entry);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.Hash;

    private static RedisCounter<T> Operate(RedisCounter<T> left, CounterOperation operation, RedisCounter<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Combine(operation, right);
    }

    private static IEnumerable<KeyValuePair<T, long>> Pairs(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Select(item => KeyValuePair.Create(item, 1L));
    }

    private static string Symbol(CounterOperation operation) => operation switch
    {
        CounterOperation.Add => "+",
        CounterOperation.Subtract => "-",
        CounterOperation.Union => "|",
        CounterOperation.Intersect => "&",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a counter operation."),
    };

    // Sums amounts per encoded element exactly, so one script argument pair stands for each distinct element.
    private Dictionary<RedisValue, Int128> Tally(IEnumerable<KeyValuePair<T, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var tally = new Dictionary<RedisValue, Int128>();
        foreach (var (item, count) in counts)
        {
            var field = _codec.Encode(item);
            tally[field] = tally.GetValueOrDefault(field) + count;
        }

        return tally;
    }

    // Field/amount pairs for the counter scripts, amounts in decimal.
    private RedisValue[] Arguments(IEnumerable<KeyValuePair<T, long>> counts, int sign) =>
        Tally(counts).SelectMany(pair => new[] { pair.Key, (RedisValue)Int128.Clamp(pair.Value * sign, -AmountLimit, AmountLimit).ToString(CultureInfo.InvariantCulture) }).ToArray();

    private ValueTask InitializeAsync(IEnumerable<T> items, CancellationToken cancellationToken) => InitializeAsync(Pairs(items), cancellationToken);

    private ValueTask InitializeAsync(IEnumerable<KeyValuePair<T, long>> counts, CancellationToken cancellationToken)
    {
        var entries = Tally(counts).Select(pair => new HashEntry(pair.Key, Checked(pair))).ToArray();
        return entries.Length == 0
            ? ValueTask.CompletedTask
            : WriteInitialContentsAsync((transaction, hash) => transaction.HashSetAsync(hash, entries), cancellationToken);
    }

    private async ValueTask IncrementManyAsync(IEnumerable<KeyValuePair<T, long>> counts, int sign, CancellationToken cancellationToken)
    {
        var values = Arguments(counts, sign);
        cancellationToken.ThrowIfCancellationRequested();
        if (values.Length > 0)
        {
            await EvaluateAsync(CounterScripts.IncrementMany, [Key], values, values, static (reply, values, key) => Updated(reply, values, key), cancellationToken).ConfigureAwait(false);
        }
    }

    // {1} when written; otherwise {0, i, 'integer', stored} or {0, i, 'overflow'} for the field at ARGV[i].
    private static bool Updated(RedisResult reply, RedisValue[] values, RedisKey key)
    {
        var parts = (RedisResult[])reply!;
        if ((long)parts[0] == 1)
        {
            return true;
        }

        var field = values[(int)parts[1] - 1].ToString();
        throw (string?)parts[2] == "overflow"
            ? RedisErrors.Overflow(key, field, integer: true)
            : RedisErrors.NotANumber(key, field, integer: true, (RedisValue)parts[3]);
    }

    // {1} when written; otherwise {0, k, field, stored} for a count of KEYS[k] that is no integer, or {0, 0, field} for a result out of range.
    private static bool Combined(RedisResult reply, RedisKey[] keys)
    {
        var parts = (RedisResult[])reply!;
        if ((long)parts[0] == 1)
        {
            return true;
        }

        var source = (int)parts[1];
        var field = ((RedisValue)parts[2]).ToString();
        throw source == 0
            ? RedisErrors.Overflow(keys[0], field, integer: true)
            : RedisErrors.NotANumber(keys[source - 1], field, integer: true, (RedisValue)parts[3]);
    }

    private long Checked(KeyValuePair<RedisValue, Int128> tally) =>
        tally.Value >= long.MinValue && tally.Value <= long.MaxValue
            ? (long)tally.Value
            : throw new ArithmeticOverflowException($"The counts given for one element of the counter at Redis key '{Key}' add up to {tally.Value}, outside the range of a 64-bit integer.", Key.ToString());

    // A new counter holding this one combined with other (symbol as in CounterScripts.Combine);
    // every operator's and Combine's result gets its key here.
    private async ValueTask<RedisCounter<T>> CombineToNewAsync(string symbol, IEnumerable<KeyValuePair<T, long>> other, RedisKey? destination, CancellationToken cancellationToken)
    {
        var result = new RedisCounter<T>(Database, destination, _codec, slotOf: Key);
        await CombineIntoAsync(symbol, other, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    // Writes the combination into destination, reading the other counter in Redis when the script can reach it.
    private async ValueTask CombineIntoAsync(string symbol, IEnumerable<KeyValuePair<T, long>> other, RedisCounter<T> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!SharesScriptScopeWith(destination))
        {
            throw new NotSupportedException($"The destination '{destination.Key}' must be in the same hash slot as '{Key}' on Redis Cluster; give it the hash tag {{{TemporaryKey.SameSlotTag(Key)}}}.");
        }

        var (otherKey, values) = other is RedisCounter<T> counter && SharesScriptScopeWith(counter)
            ? (counter.Key, new RedisValue[] { symbol, "0" })
            : (destination.Key, [symbol, "1", .. Arguments(other is RedisCounter<T> remote ? await remote.ToDictionaryAsync(cancellationToken).ConfigureAwait(false) : other, 1)]);
        RedisKey[] keys = [Key, otherKey, destination.Key];
        await EvaluateAsync(CounterScripts.Combine, keys, values, keys, static (reply, keys, _) => Combined(reply, keys), cancellationToken).ConfigureAwait(false);
    }

    private List<KeyValuePair<T, long>> Ranked(HashEntry[] entries, int? n)
    {
        var ranked = entries
            .Select(entry => (Entry: DecodeEntry(entry), Field: (byte[])entry.Name!))
            .OrderByDescending(e => e.Entry.Value)
            .ThenBy(e => e.Field, ByteOrder.Instance)
            .Select(e => e.Entry);
        return (n is { } limit ? ranked.Take(Math.Max(0, limit)) : ranked).ToList();
    }

    private T DecodeElement(RedisValue field) => _codec.DecodeAt(field, Key, "(an element)");

    private KeyValuePair<T, long> DecodeEntry(HashEntry entry) =>
        new(DecodeElement(entry.Name), Counts.DecodeAt(entry.Value, Key, entry.Name));

    private long CountOf(T item, RedisValue raw) => raw.IsNull ? 0 : Counts.DecodeAt(raw, Key, item.ToString());

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A multiset stored in a Redis hash of counts, like Python's <c>collections.Counter</c>
/// (pottery's <c>RedisCounter</c>): each element is a field, its count the field's integer value,
/// so <c>HINCRBY</c> changes counts atomically. Missing elements count 0.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RedisCounter<T> : RedisObject, IReadOnlyDictionary<T, long>, IAsyncEnumerable<KeyValuePair<T, long>>
    where T : notnull
{
    private static readonly IRedisCodec<long> Counts = RedisCodecs.For<long>();
    private readonly IRedisCodec<T> _codec;

    /// <summary>Opens the counter at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The hash's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public RedisCounter(IDatabase database, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : base(database, key)
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
        var entries = Tally(Pairs(items)).Select(pair => new HashEntry(pair.Key, pair.Value)).ToArray();
        if (entries.Length > 0)
        {
            WriteInitialContents(transaction => transaction.HashSetAsync(Key, entries));
        }
    }

    /// <summary>The count of <paramref name="item"/>; 0 when absent. Setting stores the count as it is.</summary>
    /// <param name="item">The element.</param>
    public long this[T item]
    {
        get => CountOf(item, Call(() => Database.HashGet(Key, _codec.Encode(item))));
        set
        {
            var field = _codec.Encode(item);
            Call(() => Database.HashSet(Key, field, value));
        }
    }

    /// <summary>The number of distinct elements (<c>HLEN</c>).</summary>
    public int Count => (int)Call(() => Database.HashLength(Key));

    /// <summary>The distinct elements (<c>HKEYS</c>).</summary>
    public IEnumerable<T> Keys => Call(() => Database.HashKeys(Key)).Select(DecodeElement).ToList();

    /// <summary>The counts (<c>HVALS</c>).</summary>
    public IEnumerable<long> Values => Call(() => Database.HashValues(Key)).Select(raw => Counts.DecodeAt(raw, Key, "(a count)")).ToList();

    /// <summary>The count of <paramref name="item"/>; 0 when absent.</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public async Task<long> GetAsync(T item, CancellationToken cancellationToken = default)
    {
        var field = _codec.Encode(item);
        return CountOf(item, await CallAsync(() => Database.HashGetAsync(Key, field), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Adds <paramref name="by"/> to the count of <paramref name="item"/> atomically (<c>HINCRBY</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="by">The amount; negative subtracts.</param>
    /// <returns>The new count.</returns>
    /// <remarks>Pottery's <c>c[k] += 1</c> is a read and a write; this cannot lose a concurrent increment.</remarks>
    public long Increment(T item, long by = 1)
    {
        var field = _codec.Encode(item);
        return Call(() => Database.HashIncrement(Key, field, by));
    }

    /// <summary>Adds <paramref name="by"/> to the count of <paramref name="item"/> atomically (<c>HINCRBY</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="by">The amount; negative subtracts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new count.</returns>
    public Task<long> IncrementAsync(T item, long by = 1, CancellationToken cancellationToken = default)
    {
        var field = _codec.Encode(item);
        return CallAsync(() => Database.HashIncrementAsync(Key, field, by), cancellationToken);
    }

    /// <summary>Counts <paramref name="items"/> in, in one round trip (<c>Counter.update(iterable)</c>).</summary>
    /// <param name="items">The elements; repeated ones count repeatedly.</param>
    public void Update(IEnumerable<T> items) => IncrementMany(Pairs(items), 1);

    /// <summary>Adds counts, in one round trip (<c>Counter.update(mapping)</c>).</summary>
    /// <param name="counts">Elements and amounts.</param>
    public void Update(IEnumerable<KeyValuePair<T, long>> counts) => IncrementMany(counts, 1);

    /// <summary>Counts <paramref name="items"/> out, in one round trip (<c>Counter.subtract(iterable)</c>); counts may become zero or negative, as in Python.</summary>
    /// <param name="items">The elements.</param>
    public void Subtract(IEnumerable<T> items) => IncrementMany(Pairs(items), -1);

    /// <summary>Subtracts counts, in one round trip (<c>Counter.subtract(mapping)</c>).</summary>
    /// <param name="counts">Elements and amounts.</param>
    public void Subtract(IEnumerable<KeyValuePair<T, long>> counts) => IncrementMany(counts, -1);

    /// <summary>Counts <paramref name="items"/> in, in one round trip.</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public Task UpdateAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => IncrementManyAsync(Pairs(items), 1, cancellationToken);

    /// <summary>Adds counts, in one round trip.</summary>
    /// <param name="counts">Elements and amounts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public Task UpdateAsync(IEnumerable<KeyValuePair<T, long>> counts, CancellationToken cancellationToken = default) => IncrementManyAsync(counts, 1, cancellationToken);

    /// <summary>Counts <paramref name="items"/> out, in one round trip.</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public Task SubtractAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => IncrementManyAsync(Pairs(items), -1, cancellationToken);

    /// <summary>Subtracts counts, in one round trip.</summary>
    /// <param name="counts">Elements and amounts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counts are stored.</returns>
    public Task SubtractAsync(IEnumerable<KeyValuePair<T, long>> counts, CancellationToken cancellationToken = default) => IncrementManyAsync(counts, -1, cancellationToken);

    /// <summary>
    /// The <paramref name="n"/> most common elements and their counts, most common first
    /// (<c>Counter.most_common</c>); all when <paramref name="n"/> is null. Redis hashes have no
    /// insertion order, so equal counts are ordered by their stored bytes.
    /// </summary>
    /// <param name="n">How many, or <see langword="null"/> for all.</param>
    /// <returns>Elements with counts.</returns>
    public List<KeyValuePair<T, long>> MostCommon(int? n = null) => Ranked(Call(() => Database.HashGetAll(Key)), n);

    /// <summary>The <paramref name="n"/> most common elements (see <see cref="MostCommon"/>).</summary>
    /// <param name="n">How many, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Elements with counts.</returns>
    public async Task<List<KeyValuePair<T, long>>> MostCommonAsync(int? n = null, CancellationToken cancellationToken = default) =>
        Ranked(await CallAsync(() => Database.HashGetAllAsync(Key), cancellationToken).ConfigureAwait(false), n);

    /// <summary>Each element repeated as often as its count; elements with counts below one are left out (<c>Counter.elements</c>).</summary>
    /// <returns>The elements.</returns>
    public List<T> Elements() => ToDictionary().SelectMany(entry => Enumerable.Repeat(entry.Key, (int)Math.Max(0, entry.Value))).ToList();

    /// <summary>The sum of all counts (<c>Counter.total</c>), in one <c>HVALS</c>.</summary>
    /// <returns>The total.</returns>
    public long Total() => Values.Sum();

    /// <summary>The sum of all counts, in one <c>HVALS</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The total.</returns>
    public async Task<long> TotalAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => Database.HashValuesAsync(Key), cancellationToken).ConfigureAwait(false)).Sum(raw => Counts.DecodeAt(raw, Key, "(a count)"));

    /// <summary>Whether <paramref name="key"/> has a count, even zero (<c>HEXISTS</c>).</summary>
    /// <param name="key">The element.</param>
    /// <returns>Whether it is present.</returns>
    public bool ContainsKey(T key)
    {
        var field = _codec.Encode(key);
        return Call(() => Database.HashExists(Key, field));
    }

    /// <summary>The count of <paramref name="key"/> if present.</summary>
    /// <param name="key">The element.</param>
    /// <param name="value">Its count, or 0.</param>
    /// <returns>Whether it is present.</returns>
    public bool TryGetValue(T key, [MaybeNullWhen(false)] out long value)
    {
        var raw = Call(() => Database.HashGet(Key, _codec.Encode(key)));
        value = CountOf(key, raw);
        return !raw.IsNull;
    }

    /// <summary>Removes an element and its count (<c>del c[x]</c>).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(T item)
    {
        var field = _codec.Encode(item);
        return Call(() => Database.HashDelete(Key, field));
    }

    /// <summary>Removes every count (deletes the hash).</summary>
    public void Clear() => Call(() => Database.KeyDelete(Key));

    /// <summary>Every element with its count, in one <c>HGETALL</c>.</summary>
    /// <returns>A copy in memory.</returns>
    public Dictionary<T, long> ToDictionary() => Call(() => Database.HashGetAll(Key)).Select(DecodeEntry).ToDictionary();

    /// <summary>Every element with its count, in one <c>HGETALL</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A copy in memory.</returns>
    public async Task<Dictionary<T, long>> ToDictionaryAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => Database.HashGetAllAsync(Key), cancellationToken).ConfigureAwait(false)).Select(DecodeEntry).ToDictionary();

    /// <summary>
    /// A new counter combining this one with <paramref name="other"/> (Python's <c>+ - | &amp;</c>),
    /// computed by Redis in one script; only positive counts are kept.
    /// </summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter (read in Redis when on the same server) or in-memory counts.</param>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns. On Redis Cluster it must share this key's hash slot.</param>
    /// <returns>The new counter.</returns>
    public RedisCounter<T> Combine(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other, RedisKey? destination = null)
    {
        var result = new RedisCounter<T>(Database, destination, _codec);
        var (otherKey, values) = Operand(operation, other, result);
        Evaluate(CounterScripts.Combine, [Key, otherKey, result.Key], values);
        return result;
    }

    /// <summary>A new counter combining this one with <paramref name="other"/> (see <see cref="Combine"/>).</summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter or in-memory counts.</param>
    /// <param name="destination">The new counter's key, or <see langword="null"/> for a random key it owns.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new counter.</returns>
    public async Task<RedisCounter<T>> CombineAsync(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other, RedisKey? destination = null, CancellationToken cancellationToken = default)
    {
        var result = new RedisCounter<T>(Database, destination, _codec);
        var (otherKey, values) = Operand(operation, other, result);
        await EvaluateAsync(CounterScripts.Combine, [Key, otherKey, result.Key], values, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Combines <paramref name="other"/> into this counter atomically (Python's <c>+= -= |= &amp;=</c>); only positive counts remain.</summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter or in-memory counts.</param>
    public void CombineInPlace(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other)
    {
        var (otherKey, values) = Operand(operation, other, this);
        Evaluate(CounterScripts.Combine, [Key, otherKey, Key], values);
    }

    /// <summary>Combines <paramref name="other"/> into this counter atomically; only positive counts remain.</summary>
    /// <param name="operation">How to combine.</param>
    /// <param name="other">Another counter or in-memory counts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the counter is updated.</returns>
    public Task CombineInPlaceAsync(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other, CancellationToken cancellationToken = default)
    {
        var (otherKey, values) = Operand(operation, other, this);
        return EvaluateAsync(CounterScripts.Combine, [Key, otherKey, Key], values, cancellationToken);
    }

    /// <summary>Python's <c>a + b</c>: a new counter with counts added (positive ones kept).</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key.</returns>
    public static RedisCounter<T> operator +(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Add, right);

    /// <summary>Python's <c>a - b</c>: a new counter with counts subtracted (positive ones kept).</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key.</returns>
    public static RedisCounter<T> operator -(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Subtract, right);

    /// <summary>Python's <c>a | b</c>: a new counter with the larger of each count.</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key.</returns>
    public static RedisCounter<T> operator |(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Union, right);

    /// <summary>Python's <c>a &amp; b</c>: a new counter with the smaller of each count.</summary>
    /// <param name="left">One counter.</param>
    /// <param name="right">The other.</param>
    /// <returns>A new counter at a random key.</returns>
    public static RedisCounter<T> operator &(RedisCounter<T> left, RedisCounter<T> right) => Operate(left, CounterOperation.Intersect, right);

    /// <summary>Streams elements and counts with <c>HSCAN</c>.</summary>
    /// <returns>The entries.</returns>
    public IEnumerator<KeyValuePair<T, long>> GetEnumerator() => Stream(Database.HashScan(Key)).Select(DecodeEntry).GetEnumerator();

    /// <summary>Streams elements and counts with <c>HSCAN</c>, a page at a time.</summary>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerator<KeyValuePair<T, long>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var entry in StreamAsync(Database.HashScanAsync(Key), cancellationToken).ConfigureAwait(false))
        {
            yield return DecodeEntry(entry);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    protected override RedisType RedisType => RedisType.Hash;

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

    // Sums amounts per encoded element, so one script argument pair stands for each distinct element.
    private Dictionary<RedisValue, long> Tally(IEnumerable<KeyValuePair<T, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var tally = new Dictionary<RedisValue, long>();
        foreach (var (item, count) in counts)
        {
            var field = _codec.Encode(item);
            tally[field] = tally.GetValueOrDefault(field) + count;
        }

        return tally;
    }

    private RedisValue[] Arguments(IEnumerable<KeyValuePair<T, long>> counts, long sign) =>
        Tally(counts).SelectMany(pair => new[] { pair.Key, (RedisValue)(pair.Value * sign) }).ToArray();

    private void IncrementMany(IEnumerable<KeyValuePair<T, long>> counts, long sign)
    {
        var values = Arguments(counts, sign);
        if (values.Length > 0)
        {
            Evaluate(CounterScripts.IncrementMany, [Key], values);
        }
    }

    private async Task IncrementManyAsync(IEnumerable<KeyValuePair<T, long>> counts, long sign, CancellationToken cancellationToken)
    {
        var values = Arguments(counts, sign);
        cancellationToken.ThrowIfCancellationRequested();
        if (values.Length > 0)
        {
            await EvaluateAsync(CounterScripts.IncrementMany, [Key], values, cancellationToken).ConfigureAwait(false);
        }
    }

    private (RedisKey OtherKey, RedisValue[] Values) Operand(CounterOperation operation, IEnumerable<KeyValuePair<T, long>> other, RedisCounter<T> destination)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!SharesScriptScopeWith(destination))
        {
            throw new NotSupportedException($"The destination '{destination.Key}' must be in the same hash slot as '{Key}' on Redis Cluster; give it the hash tag {{{TemporaryKey.SameSlotTag(Key)}}}.");
        }

        if (other is RedisCounter<T> counter && SharesScriptScopeWith(counter))
        {
            return (counter.Key, [Symbol(operation), "0"]);
        }

        IEnumerable<KeyValuePair<T, long>> counts = other is RedisCounter<T> remote ? remote.ToDictionary() : other;
        return (destination.Key, [Symbol(operation), "1", .. Arguments(counts, 1)]);
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

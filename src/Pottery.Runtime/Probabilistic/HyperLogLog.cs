using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A HyperLogLog in Redis (pottery's <c>HyperLogLog</c>): counts distinct elements approximately
/// (standard error 0.81%) in at most 12 KB, however many elements it sees.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Elements are encoded with the codec before <c>PFADD</c>, so <see cref="PotteryJsonCodec{T}"/>
/// shares a HyperLogLog with pottery. Unions run in Redis (<c>PFMERGE</c>); a HyperLogLog on
/// another server or hash slot is copied over first.
/// </remarks>
public sealed class HyperLogLog<T> : RedisObject
{
    private readonly IRedisCodec<T> _codec;

    /// <summary>Opens the HyperLogLog at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public HyperLogLog(IDatabase database, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, key, codec, slotOf: null)
    {
    }

    /// <summary>A HyperLogLog at <paramref name="key"/>, or at a random key in <paramref name="slotOf"/>'s hash slot.</summary>
    private HyperLogLog(IDatabase database, RedisKey? key, IRedisCodec<T>? codec, RedisKey? slotOf)
        : base(database, key, slotOf)
    {
        _codec = codec ?? RedisCodecs.For<T>();
    }

    /// <summary>Opens the HyperLogLog and adds <paramref name="items"/> (pottery's <c>HyperLogLog(iterable)</c>).</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">Elements to add.</param>
    /// <param name="key">The key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public HyperLogLog(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, key, codec)
    {
        AddRange(items);
    }

    /// <summary>The approximate number of distinct elements added (<c>PFCOUNT</c>, pottery's <c>len()</c>); 0 for a missing key.</summary>
    public long Count => Sync.Wait(CountAsync());

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.String;

    /// <summary>Opens the HyperLogLog and adds <paramref name="items"/> (pottery's <c>HyperLogLog(iterable)</c>).</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">Elements to add.</param>
    /// <param name="key">The key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The HyperLogLog.</returns>
    public static async ValueTask<HyperLogLog<T>> CreateAsync(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null, CancellationToken cancellationToken = default)
    {
        var hyperLogLog = new HyperLogLog<T>(database, key, codec);
        await hyperLogLog.AddRangeAsync(items, cancellationToken).ConfigureAwait(false);
        return hyperLogLog;
    }

    /// <summary>Adds an element (<c>PFADD</c>; pottery's <c>add</c>).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether the estimate changed, i.e. the element was certainly new.</returns>
    public bool Add(T item) => Sync.Wait(AddAsync(item));

    /// <summary>Adds an element (<c>PFADD</c>; pottery's <c>add</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the estimate changed.</returns>
    public ValueTask<bool> AddAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(_codec.Encode(item), static (database, key, element) => database.HyperLogLogAddAsync(key, element), static (changed, _, _) => changed, cancellationToken);

    /// <summary>Adds many elements in one <c>PFADD</c> (pottery's <c>update</c> with elements).</summary>
    /// <param name="items">The elements.</param>
    /// <returns>Whether the estimate changed.</returns>
    public bool AddRange(IEnumerable<T> items) => Sync.Wait(AddRangeAsync(items));

    /// <summary>Adds many elements in one <c>PFADD</c> (pottery's <c>update</c> with elements).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the estimate changed.</returns>
    public ValueTask<bool> AddRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default)
    {
        var elements = Encode(items);
        return elements.Length == 0
            ? new(false)
            : CallAsync(elements, static (database, key, elements) => database.HyperLogLogAddAsync(key, elements), static (changed, _, _) => changed, cancellationToken);
    }

    /// <summary>The approximate number of distinct elements added (<c>PFCOUNT</c>, pottery's <c>len()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The estimate; 0 for a missing key.</returns>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, key, _) => database.HyperLogLogLengthAsync(key), static (count, _, _) => count, cancellationToken);

    /// <summary>Whether the element was probably added (pottery's <c>in</c>): one atomic script, nothing changed; false for an element the codec cannot encode.</summary>
    /// <param name="item">The element.</param>
    /// <returns>False when certainly not added; true when probably added.</returns>
    public bool Contains(T item) => Sync.Wait(ContainsAsync(item));

    /// <summary>Whether the element was probably added (pottery's <c>in</c>; see <see cref="Contains"/>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>False when certainly not added; true when probably added.</returns>
    public ValueTask<bool> ContainsAsync(T item, CancellationToken cancellationToken = default) =>
        _codec.TryEncode(item, out var element)
            ? EvaluateAsync(HyperLogLogScripts.ContainsMany, [Key, TemporaryKey.For(Key)], [element], 0, static (reply, _, _) => Answers(reply)[0], cancellationToken)
            : NeverStoredAsync(false, cancellationToken);

    /// <summary>Tests many elements in one script; answers in the elements' order, false for an element the codec cannot encode (pottery's <c>contains_many</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <returns>One answer per element.</returns>
    public bool[] ContainsMany(IEnumerable<T> items) => Sync.Wait(ContainsManyAsync(items));

    /// <summary>Tests many elements in one script; answers in the elements' order, false for an element the codec cannot encode (pottery's <c>contains_many</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>One answer per element.</returns>
    public ValueTask<bool[]> ContainsManyAsync(IEnumerable<T> items, CancellationToken cancellationToken = default)
    {
        var lookups = _codec.EncodeLookups(items);
        return lookups.Encoded.Length == 0
            ? NeverStoredAsync(lookups, cancellationToken)
            : EvaluateAsync(HyperLogLogScripts.ContainsMany, [Key, TemporaryKey.For(Key)], lookups.Encoded, lookups, static (reply, lookups, _) => lookups.Answers(Answers(reply)), cancellationToken);
    }

    /// <summary>Merges other HyperLogLogs into this one, like <see cref="HashSet{T}.UnionWith"/> (pottery's <c>update</c> with HyperLogLogs).</summary>
    /// <param name="others">The HyperLogLogs to merge in; they are not changed.</param>
    public void UnionWith(IEnumerable<HyperLogLog<T>> others) => Sync.Wait(UnionWithAsync(others));

    /// <summary>Merges other HyperLogLogs into this one, in Redis (pottery's <c>update</c> with HyperLogLogs).</summary>
    /// <param name="others">The HyperLogLogs to merge in; they are not changed.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when merged.</returns>
    public async ValueTask UnionWithAsync(IEnumerable<HyperLogLog<T>> others, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(others);
        var sources = others.ToArray();
        var near = sources.Where(SharesScriptScopeWith).Select(other => other.Key).ToArray();
        var far = sources.Where(other => !SharesScriptScopeWith(other)).ToArray();
        if (far.Length == 0)
        {
            await CallAsync(near, static (database, key, near) => database.HyperLogLogMergeAsync(key, [key, .. near]), cancellationToken).ConfigureAwait(false);
            return;
        }

        // Another server or hash slot: PFMERGE cannot reach it, so its bytes travel (a HyperLogLog is a string).
        var copies = await Task.WhenAll(far.Select(other => other.CallAsync(0, static (database, key, _) => database.StringGetAsync(key), static (copy, _, _) => copy, cancellationToken).AsTask())).ConfigureAwait(false);
        await EvaluateAsync(HyperLogLogScripts.MergeCopies, [Key, TemporaryKey.For(Key), Key, .. near], copies.Where(copy => !copy.IsNull).ToArray(), 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new HyperLogLog counting the elements of this one and <paramref name="others"/> (pottery's <c>union</c>).</summary>
    /// <param name="others">The other HyperLogLogs; none is changed.</param>
    /// <param name="key">The new HyperLogLog's key, or <see langword="null"/> for a random one deleted when it is disposed.</param>
    /// <returns>The union.</returns>
    /// <remarks>A random key gets this key's hash tag (<c>pottery:{&lt;tag&gt;}:&lt;random&gt;</c>), so on Redis Cluster Redis merges in
    /// one <c>PFMERGE</c> whenever the others share this key's slot too; HyperLogLogs in other slots are copied here first.</remarks>
    public HyperLogLog<T> Union(IEnumerable<HyperLogLog<T>> others, RedisKey? key = null) => Sync.Wait(UnionAsync(others, key));

    /// <summary>A new HyperLogLog counting the elements of this one and <paramref name="others"/>, merged in Redis (pottery's <c>union</c>).</summary>
    /// <param name="others">The other HyperLogLogs; none is changed.</param>
    /// <param name="key">The new HyperLogLog's key, or <see langword="null"/> for a random one deleted when it is disposed.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The union.</returns>
    public async ValueTask<HyperLogLog<T>> UnionAsync(IEnumerable<HyperLogLog<T>> others, RedisKey? key = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(others);
        var union = new HyperLogLog<T>(Database, key, _codec, slotOf: Key);
        try
        {
            await union.UnionWithAsync([this, .. others], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await union.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return union;
    }

    /// <summary>Forgets every element (deletes the key).</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Forgets every element (deletes the key).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the key is deleted.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, key, _) => database.KeyDeleteAsync(key), cancellationToken);

    private static bool[] Answers(RedisResult reply) => ((RedisResult[])reply!).Select(answer => (long)answer == 1).ToArray();

    private RedisValue[] Encode(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Select(_codec.Encode).ToArray();
    }
}

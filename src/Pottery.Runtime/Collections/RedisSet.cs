using System.Collections;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A set stored in a Redis set, usable like <see cref="HashSet{T}"/> (pottery's <c>RedisSet</c>).
/// Members are compared by their encoded bytes, so equality is the codec's, not <typeparamref name="T"/>'s.
/// </summary>
/// <typeparam name="T">The member type.</typeparam>
/// <remarks>
/// Set algebra takes one round trip. With another <see cref="RedisSet{T}"/> on the same server
/// (and hash slot) Redis does the work (<c>SUNION</c>, <c>SINTERSTORE</c>, <c>SINTERCARD</c>…)
/// without downloading either set; with in-memory items, a script loads them into a temporary key
/// next to this one, combines, and deletes it. A <see cref="RedisSet{T}"/> on another server is
/// downloaded first (one more round trip).
/// </remarks>
public sealed class RedisSet<T> : RedisObject, ISet<T>, IReadOnlySet<T>, IAsyncEnumerable<T>
{
    private const string Union = "union";
    private const string Intersection = "inter";
    private const string Difference = "diff";
    private const string SymmetricDifference = "symdiff";

    private readonly IRedisCodec<T> _codec;

    /// <summary>Opens the set at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The set's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How members are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public RedisSet(IDatabase database, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : base(database, key)
    {
        _codec = codec ?? RedisCodecs.For<T>();
    }

    /// <summary>Creates the set with initial members, in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial members.</param>
    /// <param name="key">The set's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How members are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public RedisSet(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, key, codec)
    {
        var members = Encode(items);
        if (members.Length > 0)
        {
            WriteInitialContents(transaction => transaction.SetAddAsync(Key, members));
        }
    }

    /// <summary>The number of members (<c>SCARD</c>).</summary>
    public int Count => (int)Call(() => Database.SetLength(Key));

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Adds a member (<c>SADD</c>).</summary>
    /// <param name="item">The member.</param>
    /// <returns>Whether it was not yet present.</returns>
    public bool Add(T item)
    {
        var member = _codec.Encode(item);
        return Call(() => Database.SetAdd(Key, member));
    }

    /// <summary>Adds a member (<c>SADD</c>).</summary>
    /// <param name="item">The member.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was not yet present.</returns>
    public Task<bool> AddAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Set: this, Member: _codec.Encode(item)),
            static s => s.Set.Database.SetAddAsync(s.Set.Key, s.Member),
            static (_, added) => added,
            cancellationToken);

    /// <summary>Adds many members in one <c>SADD</c>.</summary>
    /// <param name="items">The members.</param>
    /// <returns>How many were not yet present.</returns>
    public long AddRange(IEnumerable<T> items)
    {
        var members = Encode(items);
        return members.Length == 0 ? 0 : Call(() => Database.SetAdd(Key, members));
    }

    /// <summary>Adds many members in one <c>SADD</c>.</summary>
    /// <param name="items">The members.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>How many were not yet present.</returns>
    public async Task<long> AddRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default)
    {
        var members = Encode(items);
        return members.Length == 0 ? 0 : await CallAsync(() => Database.SetAddAsync(Key, members), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a member that must be present, like Python's <c>set.remove</c>; see <see cref="Discard"/> for the forgiving form.</summary>
    /// <param name="item">The member.</param>
    /// <exception cref="KeyNotFoundException">It was not a member.</exception>
    public void Remove(T item)
    {
        if (!Discard(item))
        {
            throw NotAMember(item);
        }
    }

    /// <summary>Removes a member that must be present, like Python's <c>set.remove</c>.</summary>
    /// <param name="item">The member.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is removed.</returns>
    /// <exception cref="KeyNotFoundException">It was not a member.</exception>
    public async Task RemoveAsync(T item, CancellationToken cancellationToken = default)
    {
        if (!await DiscardAsync(item, cancellationToken).ConfigureAwait(false))
        {
            throw NotAMember(item);
        }
    }

    /// <summary>Removes a member if present, like Python's <c>set.discard</c> (<c>SREM</c>).</summary>
    /// <param name="item">The member.</param>
    /// <returns>Whether it was present.</returns>
    public bool Discard(T item)
    {
        var member = _codec.Encode(item);
        return Call(() => Database.SetRemove(Key, member));
    }

    /// <summary>Removes a member if present, like Python's <c>set.discard</c> (<c>SREM</c>).</summary>
    /// <param name="item">The member.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was present.</returns>
    public Task<bool> DiscardAsync(T item, CancellationToken cancellationToken = default)
    {
        var member = _codec.Encode(item);
        return CallAsync(() => Database.SetRemoveAsync(Key, member), cancellationToken);
    }

    /// <summary>Whether <paramref name="item"/> is a member (<c>SISMEMBER</c>).</summary>
    /// <param name="item">The candidate.</param>
    /// <returns>Whether it is a member.</returns>
    public bool Contains(T item)
    {
        var member = _codec.Encode(item);
        return Call(() => Database.SetContains(Key, member));
    }

    /// <summary>Whether <paramref name="item"/> is a member (<c>SISMEMBER</c>).</summary>
    /// <param name="item">The candidate.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it is a member.</returns>
    public Task<bool> ContainsAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(
            (Set: this, Member: _codec.Encode(item)),
            static s => s.Set.Database.SetContainsAsync(s.Set.Key, s.Member),
            static (_, found) => found,
            cancellationToken);

    /// <summary>Whether each item is a member, in one <c>SMISMEMBER</c>.</summary>
    /// <param name="items">The candidates.</param>
    /// <returns>One answer per candidate, in the same order.</returns>
    public bool[] ContainsMany(IEnumerable<T> items)
    {
        var members = Encode(items);
        return members.Length == 0 ? [] : Call(() => Database.SetContains(Key, members));
    }

    /// <summary>Whether each item is a member, in one <c>SMISMEMBER</c>.</summary>
    /// <param name="items">The candidates.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>One answer per candidate, in the same order.</returns>
    public async Task<bool[]> ContainsManyAsync(IEnumerable<T> items, CancellationToken cancellationToken = default)
    {
        var members = Encode(items);
        return members.Length == 0 ? [] : await CallAsync(() => Database.SetContainsAsync(Key, members), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The number of members (<c>SCARD</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        (int)await CallAsync(() => Database.SetLengthAsync(Key), cancellationToken).ConfigureAwait(false);

    /// <summary>Removes and returns an arbitrary member (<c>SPOP</c>), like Python's <c>set.pop</c>.</summary>
    /// <returns>The member.</returns>
    /// <exception cref="KeyNotFoundException">The set is empty.</exception>
    public T Pop() => Popped(Call(() => Database.SetPop(Key)));

    /// <summary>Removes and returns an arbitrary member (<c>SPOP</c>), like Python's <c>set.pop</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The member.</returns>
    /// <exception cref="KeyNotFoundException">The set is empty.</exception>
    public async Task<T> PopAsync(CancellationToken cancellationToken = default) =>
        Popped(await CallAsync(() => Database.SetPopAsync(Key), cancellationToken).ConfigureAwait(false));

    /// <summary>Removes and returns up to <paramref name="count"/> arbitrary members (<c>SPOP count</c>).</summary>
    /// <param name="count">How many at most.</param>
    /// <returns>The members removed; fewer when the set is smaller.</returns>
    public List<T> Pop(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Decode(Call(() => Database.SetPop(Key, count)));
    }

    /// <summary>Removes and returns up to <paramref name="count"/> arbitrary members (<c>SPOP count</c>).</summary>
    /// <param name="count">How many at most.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The members removed; fewer when the set is smaller.</returns>
    public async Task<List<T>> PopAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Decode(await CallAsync(() => Database.SetPopAsync(Key, count), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Removes every member (deletes the set).</summary>
    public void Clear() => Call(() => Database.KeyDelete(Key));

    /// <summary>Removes every member (deletes the set).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is gone.</returns>
    public Task ClearAsync(CancellationToken cancellationToken = default) => CallAsync(() => Database.KeyDeleteAsync(Key), cancellationToken);

    /// <summary>Reads every member in one <c>SMEMBERS</c>.</summary>
    /// <returns>A copy in memory.</returns>
    public HashSet<T> ToHashSet() => [.. Decode(Call(() => Database.SetMembers(Key)))];

    /// <summary>Reads every member in one <c>SMEMBERS</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A copy in memory.</returns>
    public async Task<HashSet<T>> ToHashSetAsync(CancellationToken cancellationToken = default) =>
        [.. Decode(await CallAsync(() => Database.SetMembersAsync(Key), cancellationToken).ConfigureAwait(false))];

    /// <summary>The members of this set or <paramref name="other"/> (Python's <c>a | b</c>), leaving both unchanged.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The union.</returns>
    public HashSet<T> UnionOf(IEnumerable<T> other) => Combined(Union, other);

    /// <summary>The members in both this set and <paramref name="other"/> (Python's <c>a &amp; b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The intersection.</returns>
    public HashSet<T> IntersectionOf(IEnumerable<T> other) => Combined(Intersection, other);

    /// <summary>The members of this set not in <paramref name="other"/> (Python's <c>a - b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The difference.</returns>
    public HashSet<T> DifferenceOf(IEnumerable<T> other) => Combined(Difference, other);

    /// <summary>The members in exactly one of this set and <paramref name="other"/> (Python's <c>a ^ b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The symmetric difference.</returns>
    public HashSet<T> SymmetricDifferenceOf(IEnumerable<T> other) => Combined(SymmetricDifference, other);

    /// <summary>The union, read asynchronously (see <see cref="UnionOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The union.</returns>
    public Task<HashSet<T>> UnionOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(Union, other, cancellationToken);

    /// <summary>The intersection, read asynchronously (see <see cref="IntersectionOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The intersection.</returns>
    public Task<HashSet<T>> IntersectionOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(Intersection, other, cancellationToken);

    /// <summary>The difference, read asynchronously (see <see cref="DifferenceOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The difference.</returns>
    public Task<HashSet<T>> DifferenceOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(Difference, other, cancellationToken);

    /// <summary>The symmetric difference, read asynchronously (see <see cref="SymmetricDifferenceOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The symmetric difference.</returns>
    public Task<HashSet<T>> SymmetricDifferenceOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(SymmetricDifference, other, cancellationToken);

    /// <summary>Adds the members of <paramref name="other"/> (Python's <c>a |= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void UnionWith(IEnumerable<T> other) => CombineInPlace(Union, other);

    /// <summary>Keeps only members also in <paramref name="other"/> (Python's <c>a &amp;= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void IntersectWith(IEnumerable<T> other) => CombineInPlace(Intersection, other);

    /// <summary>Removes the members of <paramref name="other"/> (Python's <c>a -= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void ExceptWith(IEnumerable<T> other) => CombineInPlace(Difference, other);

    /// <summary>Keeps the members in exactly one of the two (Python's <c>a ^= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void SymmetricExceptWith(IEnumerable<T> other) => CombineInPlace(SymmetricDifference, other);

    /// <summary>Adds the members of <paramref name="other"/>, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public Task UnionWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(Union, other, cancellationToken);

    /// <summary>Keeps only members also in <paramref name="other"/>, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public Task IntersectWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(Intersection, other, cancellationToken);

    /// <summary>Removes the members of <paramref name="other"/>, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public Task ExceptWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(Difference, other, cancellationToken);

    /// <summary>Keeps the members in exactly one of the two, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public Task SymmetricExceptWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(SymmetricDifference, other, cancellationToken);

    /// <summary>Whether every member is also in <paramref name="other"/>.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsSubsetOf(IEnumerable<T> other) => Compare(other).IsSubset;

    /// <summary>Whether every member of <paramref name="other"/> is in this set.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsSupersetOf(IEnumerable<T> other) => Compare(other).IsSuperset;

    /// <summary>Whether this set is a subset of <paramref name="other"/> and smaller.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsProperSubsetOf(IEnumerable<T> other) => Compare(other).IsProperSubset;

    /// <summary>Whether this set is a superset of <paramref name="other"/> and larger.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsProperSupersetOf(IEnumerable<T> other) => Compare(other).IsProperSuperset;

    /// <summary>Whether the two share at least one member.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool Overlaps(IEnumerable<T> other) => Compare(other).Overlaps;

    /// <summary>Whether the two have the same members.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool SetEquals(IEnumerable<T> other) => Compare(other).AreEqual;

    /// <summary>Compares this set with <paramref name="other"/> in one round trip; the result answers every subset question.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The sizes of both and of their intersection.</returns>
    public async Task<SetComparison> CompareAsync(IEnumerable<T> other, CancellationToken cancellationToken = default)
    {
        var (key, flag, members) = await OperandAsync(other, cancellationToken).ConfigureAwait(false);
        return SetComparison.From(await EvaluateAsync(SetScripts.Compare, [Key, key], [flag, .. members], cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Compares this set with <paramref name="other"/> in one round trip; the result answers every subset question.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The sizes of both and of their intersection.</returns>
    public SetComparison Compare(IEnumerable<T> other)
    {
        var (key, flag, members) = Operand(other);
        return SetComparison.From(Evaluate(SetScripts.Compare, [Key, key], [flag, .. members]));
    }

    /// <summary>Streams the members with <c>SSCAN</c>.</summary>
    /// <returns>The members.</returns>
    public IEnumerator<T> GetEnumerator() => Stream(Database.SetScan(Key)).Select(DecodeMember).GetEnumerator();

    /// <summary>Streams the members with <c>SSCAN</c>, a page at a time.</summary>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The members.</returns>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var member in StreamAsync(Database.SetScanAsync(Key), cancellationToken).ConfigureAwait(false))
        {
            yield return DecodeMember(member);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<T>.Add(T item) => Add(item);

    bool ICollection<T>.Remove(T item) => Discard(item);

    void ICollection<T>.CopyTo(T[] array, int arrayIndex) => ToHashSet().CopyTo(array, arrayIndex);

    /// <inheritdoc />
    protected override RedisType RedisType => RedisType.Set;

    private HashSet<T> Combined(string operation, IEnumerable<T> other)
    {
        var (key, flag, members) = Operand(other);
        return [.. Decode((RedisValue[])Evaluate(SetScripts.Combine, [Key, key], [operation, flag, .. members])!)];
    }

    private async Task<HashSet<T>> CombinedAsync(string operation, IEnumerable<T> other, CancellationToken cancellationToken)
    {
        var (key, flag, members) = await OperandAsync(other, cancellationToken).ConfigureAwait(false);
        return [.. Decode((RedisValue[])(await EvaluateAsync(SetScripts.Combine, [Key, key], [operation, flag, .. members], cancellationToken).ConfigureAwait(false))!)];
    }

    private void CombineInPlace(string operation, IEnumerable<T> other)
    {
        var (key, flag, members) = Operand(other);
        Evaluate(SetScripts.CombineInPlace, [Key, key], [operation, flag, .. members]);
    }

    private async Task CombineInPlaceAsync(string operation, IEnumerable<T> other, CancellationToken cancellationToken)
    {
        var (key, flag, members) = await OperandAsync(other, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(SetScripts.CombineInPlace, [Key, key], [operation, flag, .. members], cancellationToken).ConfigureAwait(false);
    }

    // The other operand as the scripts take it: a set they may read directly ("0"), or members for a temporary key ("1").
    private (RedisKey Key, RedisValue Flag, RedisValue[] Members) Operand(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is RedisSet<T> set)
        {
            if (SharesScriptScopeWith(set))
            {
                return (set.Key, "0", []);
            }

            return (TemporaryKey.For(Key), "1", Call(() => set.Database.SetMembers(set.Key)));
        }

        return (TemporaryKey.For(Key), "1", Encode(other));
    }

    private async Task<(RedisKey Key, RedisValue Flag, RedisValue[] Members)> OperandAsync(IEnumerable<T> other, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is RedisSet<T> set && !SharesScriptScopeWith(set))
        {
            return (TemporaryKey.For(Key), "1", await CallAsync(() => set.Database.SetMembersAsync(set.Key), cancellationToken).ConfigureAwait(false));
        }

        return Operand(other);
    }

    private RedisValue[] Encode(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Select(item => _codec.Encode(item)).ToArray();
    }

    private T DecodeMember(RedisValue member) => _codec.DecodeAt(member, Key, "(a member)");

    private List<T> Decode(RedisValue[] members) => members.Select(DecodeMember).ToList();

    private T Popped(RedisValue member) =>
        member.IsNull ? throw new KeyNotFoundException($"Cannot pop from the empty set at Redis key '{Key}'.") : DecodeMember(member);

    private KeyNotFoundException NotAMember(T item) => new($"'{item}' is not a member of the set at Redis key '{Key}'.");
}

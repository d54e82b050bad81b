using System.Collections;
using System.Runtime.CompilerServices;
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
/// downloaded first (one more round trip). Every member has a sync and an async form; enumeration
/// (<c>foreach</c>, LINQ, or <c>await foreach</c> over <see cref="AsAsyncEnumerable"/>) streams the
/// members with <c>SSCAN</c>.
/// </remarks>
public sealed class RedisSet<T> : RedisObject, ISet<T>, IReadOnlySet<T>
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
        Sync.Wait(InitializeAsync(items, CancellationToken.None));
    }

    /// <summary>The number of members (<c>SCARD</c>).</summary>
    public int Count => Sync.Wait(CountAsync());

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Creates the set with initial members, in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial members.</param>
    /// <param name="key">The set's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How members are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The set.</returns>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public static async ValueTask<RedisSet<T>> CreateAsync(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null, CancellationToken cancellationToken = default)
    {
        var set = new RedisSet<T>(database, key, codec);
        await set.InitializeAsync(items, cancellationToken).ConfigureAwait(false);
        return set;
    }

    /// <summary>Adds a member (<c>SADD</c>).</summary>
    /// <param name="item">The member.</param>
    /// <returns>Whether it was not yet present.</returns>
    public bool Add(T item) => Sync.Wait(AddAsync(item));

    /// <summary>Adds a member (<c>SADD</c>).</summary>
    /// <param name="item">The member.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was not yet present.</returns>
    public ValueTask<bool> AddAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(_codec.Encode(item), static (database, set, member) => database.SetAddAsync(set, member), static (added, _, _) => added, cancellationToken);

    /// <summary>Adds many members in one <c>SADD</c>.</summary>
    /// <param name="items">The members.</param>
    /// <returns>How many were not yet present.</returns>
    public long AddRange(IEnumerable<T> items) => Sync.Wait(AddRangeAsync(items));

    /// <summary>Adds many members in one <c>SADD</c>.</summary>
    /// <param name="items">The members.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>How many were not yet present.</returns>
    public ValueTask<long> AddRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default)
    {
        var members = Encode(items);
        return members.Length == 0
            ? new(0L)
            : CallAsync(members, static (database, set, members) => database.SetAddAsync(set, members), static (added, _, _) => added, cancellationToken);
    }

    /// <summary>Removes a member if present (<c>SREM</c>), like <see cref="HashSet{T}.Remove"/> (pottery's <c>discard</c>; its <c>remove</c> raises when absent).</summary>
    /// <param name="item">The member.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(T item) => Sync.Wait(RemoveAsync(item));

    /// <summary>Removes a member if present (<c>SREM</c>).</summary>
    /// <param name="item">The member.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was present.</returns>
    public ValueTask<bool> RemoveAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(_codec.Encode(item), static (database, set, member) => database.SetRemoveAsync(set, member), static (removed, _, _) => removed, cancellationToken);

    /// <summary>Whether <paramref name="item"/> is a member (<c>SISMEMBER</c>); false for an item the codec cannot encode, which cannot have been stored.</summary>
    /// <param name="item">The candidate.</param>
    /// <returns>Whether it is a member.</returns>
    public bool Contains(T item) => Sync.Wait(ContainsAsync(item));

    /// <summary>Whether <paramref name="item"/> is a member (<c>SISMEMBER</c>); false for an item the codec cannot encode.</summary>
    /// <param name="item">The candidate.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it is a member.</returns>
    public ValueTask<bool> ContainsAsync(T item, CancellationToken cancellationToken = default) =>
        _codec.TryEncode(item, out var member)
            ? CallAsync(member, static (database, set, member) => database.SetContainsAsync(set, member), static (found, _, _) => found, cancellationToken)
            : NeverStoredAsync(false, cancellationToken);

    /// <summary>Whether each item is a member, in one <c>SMISMEMBER</c>; false for an item the codec cannot encode.</summary>
    /// <param name="items">The candidates.</param>
    /// <returns>One answer per candidate, in the same order.</returns>
    public bool[] ContainsMany(IEnumerable<T> items) => Sync.Wait(ContainsManyAsync(items));

    /// <summary>Whether each item is a member, in one <c>SMISMEMBER</c>; false for an item the codec cannot encode.</summary>
    /// <param name="items">The candidates.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>One answer per candidate, in the same order.</returns>
    public ValueTask<bool[]> ContainsManyAsync(IEnumerable<T> items, CancellationToken cancellationToken = default)
    {
        var lookups = _codec.EncodeLookups(items);
        return lookups.Encoded.Length == 0
            ? NeverStoredAsync(lookups, cancellationToken)
            : CallAsync(lookups, static (database, set, lookups) => database.SetContainsAsync(set, lookups.Encoded), static (found, lookups, _) => lookups.Answers(found), cancellationToken);
    }

    /// <summary>The number of members (<c>SCARD</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, set, _) => database.SetLengthAsync(set), static (length, _, _) => (int)length, cancellationToken);

    /// <summary>Removes and returns an arbitrary member (<c>SPOP</c>; pottery's <c>pop</c>).</summary>
    /// <returns>The member.</returns>
    /// <exception cref="KeyNotFoundException">The set is empty.</exception>
    public T Pop() => Sync.Wait(PopAsync());

    /// <summary>Removes and returns an arbitrary member (<c>SPOP</c>; pottery's <c>pop</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The member.</returns>
    /// <exception cref="KeyNotFoundException">The set is empty.</exception>
    public ValueTask<T> PopAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, set, _) => database.SetPopAsync(set), static (member, set, _) => set.Popped(member), cancellationToken);

    /// <summary>Removes and returns up to <paramref name="count"/> arbitrary members (<c>SPOP count</c>).</summary>
    /// <param name="count">How many at most.</param>
    /// <returns>The members removed; fewer when the set is smaller.</returns>
    public List<T> Pop(int count) => Sync.Wait(PopAsync(count));

    /// <summary>Removes and returns up to <paramref name="count"/> arbitrary members (<c>SPOP count</c>).</summary>
    /// <param name="count">How many at most.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The members removed; fewer when the set is smaller.</returns>
    public ValueTask<List<T>> PopAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return CallAsync((Set: this, Count: count), static (database, set, s) => database.SetPopAsync(set, s.Count), static (members, s, _) => s.Set.Decode(members), cancellationToken);
    }

    /// <summary>Removes every member (deletes the set).</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Removes every member (deletes the set).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is gone.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, set, _) => database.KeyDeleteAsync(set), cancellationToken);

    /// <summary>Reads every member in one <c>SMEMBERS</c>.</summary>
    /// <returns>A copy in memory.</returns>
    public HashSet<T> ToHashSet() => Sync.Wait(ToHashSetAsync());

    /// <summary>Reads every member in one <c>SMEMBERS</c>.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A copy in memory.</returns>
    public ValueTask<HashSet<T>> ToHashSetAsync(CancellationToken cancellationToken = default) =>
        CallAsync(this, static (database, set, _) => database.SetMembersAsync(set), static (members, set, _) => new HashSet<T>(set.Decode(members)), cancellationToken);

    /// <summary>The members of this set or <paramref name="other"/> (Python's <c>a | b</c>), leaving both unchanged.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The union.</returns>
    public HashSet<T> UnionOf(IEnumerable<T> other) => Sync.Wait(UnionOfAsync(other));

    /// <summary>The members in both this set and <paramref name="other"/> (Python's <c>a &amp; b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The intersection.</returns>
    public HashSet<T> IntersectionOf(IEnumerable<T> other) => Sync.Wait(IntersectionOfAsync(other));

    /// <summary>The members of this set not in <paramref name="other"/> (Python's <c>a - b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The difference.</returns>
    public HashSet<T> DifferenceOf(IEnumerable<T> other) => Sync.Wait(DifferenceOfAsync(other));

    /// <summary>The members in exactly one of this set and <paramref name="other"/> (Python's <c>a ^ b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The symmetric difference.</returns>
    public HashSet<T> SymmetricDifferenceOf(IEnumerable<T> other) => Sync.Wait(SymmetricDifferenceOfAsync(other));

    /// <summary>The union, read asynchronously (see <see cref="UnionOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The union.</returns>
    public ValueTask<HashSet<T>> UnionOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(Union, other, cancellationToken);

    /// <summary>The intersection, read asynchronously (see <see cref="IntersectionOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The intersection.</returns>
    public ValueTask<HashSet<T>> IntersectionOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(Intersection, other, cancellationToken);

    /// <summary>The difference, read asynchronously (see <see cref="DifferenceOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The difference.</returns>
    public ValueTask<HashSet<T>> DifferenceOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(Difference, other, cancellationToken);

    /// <summary>The symmetric difference, read asynchronously (see <see cref="SymmetricDifferenceOf"/>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The symmetric difference.</returns>
    public ValueTask<HashSet<T>> SymmetricDifferenceOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombinedAsync(SymmetricDifference, other, cancellationToken);

    /// <summary>Adds the members of <paramref name="other"/> (Python's <c>a |= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void UnionWith(IEnumerable<T> other) => Sync.Wait(UnionWithAsync(other));

    /// <summary>Keeps only members also in <paramref name="other"/> (Python's <c>a &amp;= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void IntersectWith(IEnumerable<T> other) => Sync.Wait(IntersectWithAsync(other));

    /// <summary>Removes the members of <paramref name="other"/> (Python's <c>a -= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void ExceptWith(IEnumerable<T> other) => Sync.Wait(ExceptWithAsync(other));

    /// <summary>Keeps the members in exactly one of the two (Python's <c>a ^= b</c>), atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    public void SymmetricExceptWith(IEnumerable<T> other) => Sync.Wait(SymmetricExceptWithAsync(other));

    /// <summary>Adds the members of <paramref name="other"/>, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public ValueTask UnionWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(Union, other, cancellationToken);

    /// <summary>Keeps only members also in <paramref name="other"/>, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public ValueTask IntersectWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(Intersection, other, cancellationToken);

    /// <summary>Removes the members of <paramref name="other"/>, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public ValueTask ExceptWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(Difference, other, cancellationToken);

    /// <summary>Keeps the members in exactly one of the two, atomically in Redis.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the set is updated.</returns>
    public ValueTask SymmetricExceptWithAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) => CombineInPlaceAsync(SymmetricDifference, other, cancellationToken);

    /// <summary>Whether every member is also in <paramref name="other"/> (pottery's <c>issubset</c>, <c>a &lt;= b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsSubsetOf(IEnumerable<T> other) => Compare(other).IsSubset;

    /// <summary>Whether every member is also in <paramref name="other"/>.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The answer, from one round trip.</returns>
    public async ValueTask<bool> IsSubsetOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) =>
        (await CompareAsync(other, cancellationToken).ConfigureAwait(false)).IsSubset;

    /// <summary>Whether every member of <paramref name="other"/> is in this set (pottery's <c>issuperset</c>, <c>a &gt;= b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsSupersetOf(IEnumerable<T> other) => Compare(other).IsSuperset;

    /// <summary>Whether every member of <paramref name="other"/> is in this set.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The answer, from one round trip.</returns>
    public async ValueTask<bool> IsSupersetOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) =>
        (await CompareAsync(other, cancellationToken).ConfigureAwait(false)).IsSuperset;

    /// <summary>Whether this set is a subset of <paramref name="other"/> and smaller (Python's <c>a &lt; b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsProperSubsetOf(IEnumerable<T> other) => Compare(other).IsProperSubset;

    /// <summary>Whether this set is a subset of <paramref name="other"/> and smaller.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The answer, from one round trip.</returns>
    public async ValueTask<bool> IsProperSubsetOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) =>
        (await CompareAsync(other, cancellationToken).ConfigureAwait(false)).IsProperSubset;

    /// <summary>Whether this set is a superset of <paramref name="other"/> and larger (Python's <c>a &gt; b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool IsProperSupersetOf(IEnumerable<T> other) => Compare(other).IsProperSuperset;

    /// <summary>Whether this set is a superset of <paramref name="other"/> and larger.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The answer, from one round trip.</returns>
    public async ValueTask<bool> IsProperSupersetOfAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) =>
        (await CompareAsync(other, cancellationToken).ConfigureAwait(false)).IsProperSuperset;

    /// <summary>Whether the two share at least one member (the opposite of pottery's <c>isdisjoint</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool Overlaps(IEnumerable<T> other) => Compare(other).Overlaps;

    /// <summary>Whether the two share at least one member.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The answer, from one round trip.</returns>
    public async ValueTask<bool> OverlapsAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) =>
        (await CompareAsync(other, cancellationToken).ConfigureAwait(false)).Overlaps;

    /// <summary>Whether the two have the same members (Python's <c>a == b</c>).</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The answer, from one round trip.</returns>
    public bool SetEquals(IEnumerable<T> other) => Compare(other).AreEqual;

    /// <summary>Whether the two have the same members.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The answer, from one round trip.</returns>
    public async ValueTask<bool> SetEqualsAsync(IEnumerable<T> other, CancellationToken cancellationToken = default) =>
        (await CompareAsync(other, cancellationToken).ConfigureAwait(false)).AreEqual;

    /// <summary>Compares this set with <paramref name="other"/> in one round trip; the result answers every subset question.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <returns>The sizes of both and of their intersection.</returns>
    public SetComparison Compare(IEnumerable<T> other) => Sync.Wait(CompareAsync(other));

    /// <summary>Compares this set with <paramref name="other"/> in one round trip; the result answers every subset question.</summary>
    /// <param name="other">Another set or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The sizes of both and of their intersection.</returns>
    public async ValueTask<SetComparison> CompareAsync(IEnumerable<T> other, CancellationToken cancellationToken = default)
    {
        var (key, flag, members) = await OperandAsync(other, cancellationToken).ConfigureAwait(false);
        return await EvaluateAsync(SetScripts.Compare, [Key, key], [flag, .. members], 0, static (counts, _, _) => SetComparison.From(counts), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams the members with <c>SSCAN</c>, a page at a time; the async twin is <see cref="AsAsyncEnumerable"/>.</summary>
    /// <returns>The members.</returns>
    public IEnumerator<T> GetEnumerator() => Paging.Wait(AsAsyncEnumerable()).GetEnumerator();

    /// <summary>
    /// Streams the members with <c>SSCAN</c>, a page at a time, for <c>await foreach</c>. A method
    /// rather than <see cref="IAsyncEnumerable{T}"/> on the set, so LINQ binds to
    /// <see cref="Enumerable"/> on every .NET version.
    /// </summary>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The members.</returns>
    public async IAsyncEnumerable<T> AsAsyncEnumerable([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await foreach (var member in Paging.Scan(Database, Key, RedisType, Database.SetScanAsync(Key), cancellationToken).ConfigureAwait(false))
        {
            yield return DecodeMember(member);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<T>.Add(T item) => Add(item);

    void ICollection<T>.CopyTo(T[] array, int arrayIndex) => ToHashSet().CopyTo(array, arrayIndex);

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.Set;

    private ValueTask InitializeAsync(IEnumerable<T> items, CancellationToken cancellationToken)
    {
        var members = Encode(items);
        return members.Length == 0
            ? ValueTask.CompletedTask
            : WriteInitialContentsAsync((transaction, set) => transaction.SetAddAsync(set, members), cancellationToken);
    }

    private async ValueTask<HashSet<T>> CombinedAsync(string operation, IEnumerable<T> other, CancellationToken cancellationToken)
    {
        var (key, flag, members) = await OperandAsync(other, cancellationToken).ConfigureAwait(false);
        return await EvaluateAsync(SetScripts.Combine, [Key, key], [operation, flag, .. members], this, static (result, set, _) => new HashSet<T>(set.Decode((RedisValue[])result!)), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask CombineInPlaceAsync(string operation, IEnumerable<T> other, CancellationToken cancellationToken)
    {
        var (key, flag, members) = await OperandAsync(other, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(SetScripts.CombineInPlace, [Key, key], [operation, flag, .. members], 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);
    }

    // The other operand as the scripts take it: a set they may read directly ("0"), or members for a
    // temporary key ("1"); a set elsewhere is read first, through its own key.
    private async ValueTask<(RedisKey Key, RedisValue Flag, RedisValue[] Members)> OperandAsync(IEnumerable<T> other, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is RedisSet<T> set)
        {
            return SharesScriptScopeWith(set)
                ? (set.Key, "0", [])
                : (TemporaryKey.For(Key), "1", await set.CallAsync(0, static (database, key, _) => database.SetMembersAsync(key), static (members, _, _) => members, cancellationToken).ConfigureAwait(false));
        }

        return (TemporaryKey.For(Key), "1", Encode(other));
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
}

using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A list stored in a Redis list, usable like <see cref="List{T}"/> with Python's indexing
/// (pottery's <c>RedisList</c>): negative indexes count from the end (<c>list[-1]</c> is the last
/// element), ranges slice (<c>list[2..^1]</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Redis lists are linked lists: appending, popping at either end and <see cref="Count"/> are
/// O(1), but access by index (<c>LINDEX</c>, <c>LSET</c>), <see cref="Insert"/>,
/// <see cref="RemoveAt"/> and <see cref="IndexOf"/> walk the list and are O(n). Insert and
/// RemoveAt are single atomic scripts, and so are Python's stepped slices (<see cref="Slice"/>),
/// slice assignment (<see cref="SetSlice(int?, int?, int, IEnumerable{T})"/>, <see cref="SetRange"/>),
/// <c>del</c> of a slice (<see cref="RemoveSlice"/>, <see cref="RemoveRange"/>) and
/// <see cref="Reverse"/>. Every member has a sync and an async form. Enumeration
/// (<c>foreach</c>, LINQ, or <c>await foreach</c> over <see cref="AsAsyncEnumerable"/>) reads pages
/// of <see cref="PageSize"/> elements with <c>LRANGE</c>; a list changed meanwhile may show an
/// element twice or skip one.
/// </remarks>
public partial class RedisList<T> : RedisObject, IList<T>, IReadOnlyList<T>
{
    /// <summary>How many elements enumeration reads per round trip.</summary>
    public const int PageSize = 1_000;

    private readonly int? _bound;

    /// <summary>Opens the list at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The list's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    public RedisList(IDatabase database, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, key, codec, bound: null)
    {
    }

    /// <summary>Creates the list with initial elements, in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial elements.</param>
    /// <param name="key">The list's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public RedisList(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null)
        : this(database, items, key, codec, bound: null)
    {
    }

    /// <summary>For lists that keep at most <paramref name="bound"/> elements (deques).</summary>
    /// <remarks>A random key (no <paramref name="key"/>) is in <paramref name="slotOf"/>'s hash slot when that is given.</remarks>
    private protected RedisList(IDatabase database, RedisKey? key, IRedisCodec<T>? codec, int? bound, RedisKey? slotOf = null)
        : base(database, key, slotOf)
    {
        if (bound is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "A maximum length cannot be negative.");
        }

        Codec = codec ?? RedisCodecs.For<T>();
        _bound = bound;
    }

    /// <summary>For lists that keep at most <paramref name="bound"/> elements (deques), created with initial elements.</summary>
    private protected RedisList(IDatabase database, IEnumerable<T> items, RedisKey? key, IRedisCodec<T>? codec, int? bound)
        : this(database, key, codec, bound)
    {
        Sync.Wait(InitializeAsync(items, CancellationToken.None));
    }

    /// <summary>The codec elements are stored with.</summary>
    private protected IRedisCodec<T> Codec { get; }

    /// <summary>Gets or sets the element at <paramref name="index"/>; negative indexes count from the end. O(n).</summary>
    /// <param name="index">The position; -1 is the last element.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public T this[int index]
    {
        get => Sync.Wait(GetAsync(index));
        set => Sync.Wait(SetAsync(index, value));
    }

    /// <summary>Gets or sets the element at <paramref name="index"/> (<c>^1</c> is the last; <c>^0</c> is the end, where no element is). O(n).</summary>
    /// <param name="index">The position.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public T this[Index index]
    {
        get => Sync.Wait(GetAsync(index));
        set => Sync.Wait(SetAsync(index, value));
    }

    /// <summary>The elements in <paramref name="range"/>, read in one <c>LRANGE</c> (Python's <c>list[a:b]</c>).</summary>
    /// <param name="range">The slice; out-of-range bounds are clipped, as in Python.</param>
    public List<T> this[Range range] => GetRange(range);

    /// <summary>The number of elements (<c>LLEN</c>).</summary>
    public int Count => Sync.Wait(CountAsync());

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Creates the list with initial elements, in one atomic write.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial elements.</param>
    /// <param name="key">The list's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The list.</returns>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public static async ValueTask<RedisList<T>> CreateAsync(IDatabase database, IEnumerable<T> items, RedisKey? key = null, IRedisCodec<T>? codec = null, CancellationToken cancellationToken = default)
    {
        var list = new RedisList<T>(database, key, codec);
        await list.InitializeAsync(items, cancellationToken).ConfigureAwait(false);
        return list;
    }

    /// <summary>Gets the element at <paramref name="index"/>; negative indexes count from the end (<c>LINDEX</c>). O(n).</summary>
    /// <param name="index">The position.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public ValueTask<T> GetAsync(int index, CancellationToken cancellationToken = default) =>
        CallAsync(
            (List: this, Index: index),
            static (database, list, s) => database.ListGetByIndexAsync(list, s.Index),
            static (raw, s, _) => s.List.Element(s.Index, raw),
            cancellationToken);

    /// <summary>Gets the element at <paramref name="index"/> (<c>^1</c> is the last). O(n).</summary>
    /// <param name="index">The position.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public ValueTask<T> GetAsync(Index index, CancellationToken cancellationToken = default) =>
        index.Equals(Index.End) ? ValueTask.FromException<T>(PastTheEnd()) : GetAsync(Offset(index), cancellationToken);

    /// <summary>Sets the element at <paramref name="index"/>; negative indexes count from the end (<c>LSET</c>). O(n).</summary>
    /// <param name="index">The position.</param>
    /// <param name="value">The new element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public async ValueTask SetAsync(int index, T value, CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync((Index: index, Element: Codec.Encode(value)), static (database, list, s) => database.ListSetByIndexAsync(list, s.Index, s.Element), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException error) when (IsOutOfRange(error))
        {
            throw OutOfRange(index, error);
        }
    }

    /// <summary>Sets the element at <paramref name="index"/> (<c>^1</c> is the last). O(n).</summary>
    /// <param name="index">The position.</param>
    /// <param name="value">The new element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public ValueTask SetAsync(Index index, T value, CancellationToken cancellationToken = default) =>
        index.Equals(Index.End) ? ValueTask.FromException(PastTheEnd()) : SetAsync(Offset(index), value, cancellationToken);

    /// <summary>The elements in <paramref name="range"/>, read in one <c>LRANGE</c>.</summary>
    /// <param name="range">The slice; out-of-range bounds are clipped, as in Python.</param>
    /// <returns>The elements.</returns>
    public List<T> GetRange(Range range) => Sync.Wait(GetRangeAsync(range));

    /// <summary>The elements in <paramref name="range"/>, read in one <c>LRANGE</c>.</summary>
    /// <param name="range">The slice; out-of-range bounds are clipped, as in Python.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The elements.</returns>
    public ValueTask<List<T>> GetRangeAsync(Range range, CancellationToken cancellationToken = default)
    {
        var (start, stop) = Bounds(range);
        return stop is null
            ? new(new List<T>())
            : CallAsync(
                (List: this, Start: start, Stop: stop.Value),
                static (database, list, s) => database.ListRangeAsync(list, s.Start, s.Stop),
                static (elements, s, _) => s.List.Decode(elements, s.Start),
                cancellationToken);
    }

    /// <summary>The number of elements (<c>LLEN</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, list, _) => database.ListLengthAsync(list), static (length, _, _) => (int)length, cancellationToken);

    /// <summary>Appends an element (<c>RPUSH</c>; pottery's <c>append</c>).</summary>
    /// <param name="item">The element.</param>
    public void Add(T item) => Sync.Wait(AddAsync(item));

    /// <summary>Appends an element (<c>RPUSH</c>; pottery's <c>append</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public ValueTask AddAsync(T item, CancellationToken cancellationToken = default) => PushAsync(Right, [Codec.Encode(item)], cancellationToken);

    /// <summary>Appends elements in order, in one <c>RPUSH</c> (pottery's <c>extend</c>).</summary>
    /// <param name="items">The elements.</param>
    public void AddRange(IEnumerable<T> items) => Sync.Wait(AddRangeAsync(items));

    /// <summary>Appends elements in order, in one <c>RPUSH</c> (pottery's <c>extend</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public ValueTask AddRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => PushAsync(Right, Encode(items), cancellationToken);

    /// <summary>
    /// Inserts <paramref name="item"/> before position <paramref name="index"/>, atomically. As in
    /// Python's <c>list.insert</c>, positions past either end insert at that end. O(n).
    /// </summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="item">The element.</param>
    public void Insert(int index, T item) => Sync.Wait(InsertAsync(index, item));

    /// <summary>Inserts <paramref name="item"/> before position <paramref name="index"/>, atomically (see <see cref="Insert"/>).</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public async ValueTask InsertAsync(int index, T item, CancellationToken cancellationToken = default) =>
        await EvaluateAsync(ListScripts.Insert, [Key], [index, Codec.Encode(item), Tombstone(), _bound ?? -1], this, static (length, list, _) => list.Inserted(length), cancellationToken).ConfigureAwait(false);

    /// <summary>Removes the element at <paramref name="index"/>, atomically (Python's <c>del list[i]</c>). O(n).</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public void RemoveAt(int index) => Sync.Wait(RemoveAtAsync(index));

    /// <summary>Removes the element at <paramref name="index"/>, atomically. O(n).</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public async ValueTask RemoveAtAsync(int index, CancellationToken cancellationToken = default) =>
        await PopAsync(index, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Removes and returns the element at <paramref name="index"/> (the last by default), atomically
    /// (pottery's <c>pop</c>): <c>RPOP</c> or <c>LPOP</c> at the ends, one script elsewhere.
    /// </summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <returns>The element removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there (including an empty list).</exception>
    public T Pop(int index = -1) => Sync.Wait(PopAsync(index));

    /// <summary>Removes and returns the element at <paramref name="index"/> (the last by default), atomically (see <see cref="Pop"/>).</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there (including an empty list).</exception>
    public ValueTask<T> PopAsync(int index = -1, CancellationToken cancellationToken = default) => index switch
    {
        -1 or 0 => PopEndAsync(index == 0 ? Left : Right, static (list, side) => list.EmptyPop(side == Left ? 0 : -1), cancellationToken),
        _ => EvaluateAsync(ListScripts.RemoveAt, [Key], [index, Tombstone()], (List: this, Index: index), static (reply, s, _) => s.List.Removed(s.Index, reply), cancellationToken),
    };

    /// <summary>Removes the first occurrence of <paramref name="item"/> (<c>LREM 1</c>).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(T item) => Sync.Wait(RemoveAsync(item));

    /// <summary>Removes the first occurrence of <paramref name="item"/> (<c>LREM 1</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was present.</returns>
    public ValueTask<bool> RemoveAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(Codec.Encode(item), static (database, list, element) => database.ListRemoveAsync(list, element, 1), static (removed, _, _) => removed > 0, cancellationToken);

    /// <summary>The position of the first occurrence of <paramref name="item"/> (<c>LPOS</c>), or -1. O(n).</summary>
    /// <param name="item">The element.</param>
    /// <returns>The position, or -1.</returns>
    public int IndexOf(T item) => Sync.Wait(IndexOfAsync(item));

    /// <summary>The position of the first occurrence of <paramref name="item"/> (<c>LPOS</c>), or -1 (also for an item the codec cannot encode, which cannot have been stored). O(n).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The position, or -1.</returns>
    public ValueTask<int> IndexOfAsync(T item, CancellationToken cancellationToken = default) =>
        Codec.TryEncode(item, out var element)
            ? CallAsync(element, static (database, list, element) => database.ListPositionAsync(list, element), static (position, _, _) => (int)position, cancellationToken)
            : NeverStoredAsync(-1, cancellationToken);

    /// <summary>Whether <paramref name="item"/> occurs (<c>LPOS</c>). O(n).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it occurs.</returns>
    public bool Contains(T item) => Sync.Wait(ContainsAsync(item));

    /// <summary>Whether <paramref name="item"/> occurs (<c>LPOS</c>); false for an item the codec cannot encode, which cannot have been stored. O(n).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it occurs.</returns>
    public ValueTask<bool> ContainsAsync(T item, CancellationToken cancellationToken = default) =>
        Codec.TryEncode(item, out var element)
            ? CallAsync(element, static (database, list, element) => database.ListPositionAsync(list, element), static (position, _, _) => position >= 0, cancellationToken)
            : NeverStoredAsync(false, cancellationToken);

    /// <summary>Removes every element (deletes the list).</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Removes every element (deletes the list).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is gone.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, list, _) => database.KeyDeleteAsync(list), cancellationToken);

    /// <summary>
    /// Sorts the list in Redis (<c>SORT … STORE</c> into itself). Numbers (by the default codecs)
    /// sort numerically; everything else sorts by its stored bytes (<c>ALPHA</c>), not by a .NET comparer.
    /// On a server without <c>SORT</c> (Garnet) one Lua script sorts the same way.
    /// </summary>
    /// <param name="descending">Largest first.</param>
    public void Sort(bool descending = false) => Sync.Wait(SortAsync(descending));

    /// <summary>Sorts the list in Redis (see <see cref="Sort"/>).</summary>
    /// <param name="descending">Largest first.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is sorted.</returns>
    public async ValueTask SortAsync(bool descending = false, CancellationToken cancellationToken = default)
    {
        if (!MissingCommands.IsMissing(Database, "SORT"))
        {
            try
            {
                await CallAsync(descending, static (database, list, descending) => database.SortAndStoreAsync(list, list, order: Order(descending), sortType: SortType), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RedisServerException error) when (MissingCommands.IsUnknownCommand(error))
            {
                MissingCommands.Remember(Database, "SORT");
            }
        }

        RedisValue[] flags = [descending ? "1" : "0", SortType == SortType.Numeric ? "1" : "0"];
        await EvaluateAsync(ListSortScript.Sort, [Key], flags, 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new Redis list holding this list's elements followed by <paramref name="other"/>'s (pottery's
    /// <c>a + b</c>), written in one script; with another <see cref="RedisList{T}"/> on the same
    /// server Redis copies both without sending them here. (LINQ's <c>Concat</c> reads both instead.)
    /// </summary>
    /// <param name="other">Another list or any items.</param>
    /// <param name="destination">The new list's key, or <see langword="null"/> for a random key the new list owns.</param>
    /// <returns>The new list.</returns>
    /// <remarks>
    /// One script writes the result, so on Redis Cluster the new list must be in this list's hash slot:
    /// a random key gets this key's hash tag (<c>pottery:{&lt;tag&gt;}:&lt;random&gt;</c>), and a
    /// <paramref name="destination"/> in another slot is refused with <see cref="NotSupportedException"/>.
    /// A list in another slot as <paramref name="other"/> is read here and sent along.
    /// </remarks>
    public RedisList<T> ConcatToNew(IEnumerable<T> other, RedisKey? destination = null) => Sync.Wait(ConcatToNewAsync(other, destination));

    /// <summary>A new Redis list holding this list's elements followed by <paramref name="other"/>'s (see <see cref="ConcatToNew"/>).</summary>
    /// <param name="other">Another list or any items.</param>
    /// <param name="destination">The new list's key, or <see langword="null"/> for a random key the new list owns, in this key's hash slot (see <see cref="ConcatToNew"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new list.</returns>
    public async ValueTask<RedisList<T>> ConcatToNewAsync(IEnumerable<T> other, RedisKey? destination = null, CancellationToken cancellationToken = default)
    {
        var result = new RedisList<T>(Database, destination, Codec, bound: null, slotOf: Key);
        var (otherKey, values) = await ConcatOperandAsync(other, result, cancellationToken).ConfigureAwait(false);
        await EvaluateAsync(ListScripts.Concat, [Key, otherKey, result.Key], values, 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Whether both lists hold equal elements in the same order; between lists on one server Redis compares the stored bytes.</summary>
    /// <param name="other">Another list or any items.</param>
    /// <returns>Whether they are equal.</returns>
    public bool ContentEquals(IEnumerable<T> other) => Sync.Wait(ContentEqualsAsync(other));

    /// <summary>Whether both lists hold equal elements in the same order (see <see cref="ContentEquals"/>).</summary>
    /// <param name="other">Another list or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether they are equal.</returns>
    public async ValueTask<bool> ContentEqualsAsync(IEnumerable<T> other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is RedisList<T> list && SharesScriptScopeWith(list))
        {
            return await EvaluateAsync(ListScripts.ContentEquals, [Key, list.Key], [], 0, static (equal, _, _) => (long)equal == 1, cancellationToken).ConfigureAwait(false);
        }

        var mine = await GetRangeAsync(.., cancellationToken).ConfigureAwait(false);
        return mine.SequenceEqual(other is RedisList<T> remote ? await remote.GetRangeAsync(.., cancellationToken).ConfigureAwait(false) : other);
    }

    /// <summary>Streams the elements in pages of <see cref="PageSize"/> (<c>LRANGE</c>); the async twin is <see cref="AsAsyncEnumerable"/>.</summary>
    /// <returns>The elements, first to last.</returns>
    public IEnumerator<T> GetEnumerator() => Paging.Wait(AsAsyncEnumerable()).GetEnumerator();

    /// <summary>
    /// Streams the elements in pages of <see cref="PageSize"/> (<c>LRANGE</c>), for <c>await foreach</c>.
    /// A method rather than <see cref="IAsyncEnumerable{T}"/> on the list, so LINQ binds to
    /// <see cref="Enumerable"/> on every .NET version.
    /// </summary>
    /// <param name="cancellationToken">Stops between pages.</param>
    /// <returns>The elements, first to last.</returns>
    public async IAsyncEnumerable<T> AsAsyncEnumerable([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (long start = 0; ; start += PageSize)
        {
            var page = await CallAsync(start, static (database, list, start) => database.ListRangeAsync(list, start, start + PageSize - 1), static (page, _, _) => page, cancellationToken).ConfigureAwait(false);
            foreach (var element in Decode(page, start))
            {
                yield return element;
            }

            if (page.Length < PageSize)
            {
                yield break;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<T>.CopyTo(T[] array, int arrayIndex) => GetRange(..).CopyTo(array, arrayIndex);

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.List;

    /// <summary>The side a push happens on.</summary>
    private protected const string Left = "left";

    /// <summary>The side a push happens on.</summary>
    private protected const string Right = "right";

    /// <summary>Pushes elements on one side in one round trip, trimming to the bound if there is one.</summary>
    private protected ValueTask PushAsync(string side, RedisValue[] elements, CancellationToken cancellationToken)
    {
        if (elements.Length == 0)
        {
            return cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : ValueTask.CompletedTask;
        }

        if (_bound is { } limit)
        {
            return PushBoundedAsync(side, limit, elements, cancellationToken);
        }

        return side == Left
            ? CallAsync(elements, static (database, list, elements) => elements.Length == 1 ? database.ListLeftPushAsync(list, elements[0]) : database.ListLeftPushAsync(list, elements), cancellationToken)
            : CallAsync(elements, static (database, list, elements) => elements.Length == 1 ? database.ListRightPushAsync(list, elements[0]) : database.ListRightPushAsync(list, elements), cancellationToken);
    }

    private async ValueTask PushBoundedAsync(string side, int limit, RedisValue[] elements, CancellationToken cancellationToken) =>
        await EvaluateAsync(ListScripts.PushBounded, [Key], [side, limit, .. elements], 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);

    /// <summary>Removes and returns the element at one end (<c>LPOP</c>/<c>RPOP</c>); <paramref name="empty"/> says what an empty list throws.</summary>
    private protected ValueTask<T> PopEndAsync(string side, Func<RedisList<T>, string, Exception> empty, CancellationToken cancellationToken) =>
        CallAsync(
            (List: this, Side: side, Empty: empty),
            static (database, list, s) => s.Side == Left ? database.ListLeftPopAsync(list) : database.ListRightPopAsync(list),
            static (element, s, _) => element.IsNull ? throw s.Empty(s.List, s.Side) : s.List.DecodeAt(element, s.Side == Left ? 0 : -1),
            cancellationToken);

    /// <summary>Encodes elements in order.</summary>
    private protected RedisValue[] Encode(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Select(item => Codec.Encode(item)).ToArray();
    }

    /// <summary>Decodes an element read from <paramref name="index"/>.</summary>
    private protected T DecodeAt(RedisValue element, long index) => Codec.DecodeAt(element, Key, $"[{index}]");

    /// <summary>Writes the initial elements of a new list (for a bounded deque only the last ones).</summary>
    private protected ValueTask InitializeAsync(IEnumerable<T> items, CancellationToken cancellationToken)
    {
        var elements = Encode(items);
        if (_bound is { } limit && elements.Length > limit)
        {
            // Like deque(items, maxlen): only the last maxlen items survive.
            elements = elements[^limit..];
        }

        return elements.Length == 0
            ? ValueTask.CompletedTask
            : WriteInitialContentsAsync((transaction, list) => transaction.ListRightPushAsync(list, elements), cancellationToken);
    }

    private static SortType SortType =>
        typeof(T) == typeof(string) || !(typeof(T).IsPrimitive || typeof(T) == typeof(decimal) || typeof(T) == typeof(BigInteger)) || typeof(T) == typeof(bool) || typeof(T) == typeof(char)
            ? SortType.Alphabetic
            : SortType.Numeric;

    private static Order Order(bool descending) => descending ? StackExchange.Redis.Order.Descending : StackExchange.Redis.Order.Ascending;

    // LSET answers "no such key" for an empty (so missing) list: every index is out of its range too.
    private static bool IsOutOfRange(RedisServerException error) =>
        error.Message.Contains("index out of range", StringComparison.Ordinal) || error.Message.Contains("no such key", StringComparison.Ordinal);

    private static int Offset(Index index) => index.IsFromEnd ? -index.Value : index.Value;

    // A random value no user element will equal, used to address one position by value.
    private static RedisValue Tombstone() => "pottery:tombstone:" + RandomKey.Suffix() + RandomKey.Suffix();

    // LRANGE bounds for a Python slice; null stop when the slice is certainly empty.
    private static (long Start, long? Stop) Bounds(Range range)
    {
        if (range.Start.Equals(Index.End))
        {
            // ^0 is the end itself: nothing lies at or after it.
            return (0, null);
        }

        long start = Offset(range.Start);
        if (range.End.IsFromEnd)
        {
            return (start, -(long)range.End.Value - 1);
        }

        return range.End.Value == 0 ? (start, null) : (start, range.End.Value - 1L);
    }

    private ArgumentOutOfRangeException OutOfRange(long index, Exception? inner = null) =>
        new($"Index {index} is outside the list at Redis key '{Key}'.", inner);

    // ^0 names the end, one past the last element, whatever the length.
    private ArgumentOutOfRangeException PastTheEnd() =>
        new("index", "^0", $"Index ^0 is the end of the list at Redis key '{Key}', past its last element.");

    private T Element(long index, RedisValue element) => element.IsNull ? throw OutOfRange(index) : DecodeAt(element, index);

    private List<T> Decode(RedisValue[] elements, long firstIndex) =>
        elements.Select((element, i) => DecodeAt(element, firstIndex >= 0 ? firstIndex + i : i)).ToList();

    private bool Inserted(RedisResult result) =>
        (long)result >= 0 ? true : throw new InvalidOperationException($"The deque at Redis key '{Key}' is already at its maximum size of {_bound}.");

    private ArgumentOutOfRangeException EmptyPop(long index) => new(nameof(index), index, $"Cannot pop from the empty list at Redis key '{Key}'.");

    private T Removed(long index, RedisResult result)
    {
        var reply = (RedisResult[])result!;
        if ((long)reply[0] == 0)
        {
            throw (long)reply[1] == 0
                ? new ArgumentOutOfRangeException(nameof(index), index, $"Cannot pop from the empty list at Redis key '{Key}'.")
                : OutOfRange(index);
        }

        return DecodeAt((RedisValue)reply[1], index);
    }

    private async ValueTask<(RedisKey OtherKey, RedisValue[] Values)> ConcatOperandAsync(IEnumerable<T> other, RedisList<T> result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is RedisList<T> list && SharesScriptScopeWith(list) && SharesScriptScopeWith(result))
        {
            return (list.Key, ["0"]);
        }

        if (!SharesScriptScopeWith(result))
        {
            throw new NotSupportedException($"The destination '{result.Key}' must be in the same hash slot as '{Key}' on Redis Cluster; give it the hash tag {{{TemporaryKey.SameSlotTag(Key)}}}.");
        }

        var items = other is RedisList<T> remote ? await remote.GetRangeAsync(.., cancellationToken).ConfigureAwait(false) : other;
        return (result.Key, ["1", .. Encode(items)]);
    }
}

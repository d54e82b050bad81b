using System.Collections;
using System.Numerics;
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
/// RemoveAt are single atomic scripts. Enumeration reads pages of <see cref="PageSize"/> elements
/// with <c>LRANGE</c>; a list changed meanwhile may show an element twice or skip one.
/// </remarks>
public class RedisList<T> : RedisObject, IList<T>, IReadOnlyList<T>, IAsyncEnumerable<T>
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
    private protected RedisList(IDatabase database, RedisKey? key, IRedisCodec<T>? codec, int? bound)
        : base(database, key)
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
        var elements = Encode(items);
        if (bound is { } limit && elements.Length > limit)
        {
            // Like deque(items, maxlen): only the last maxlen items survive.
            elements = elements[^limit..];
        }

        if (elements.Length > 0)
        {
            WriteInitialContents(transaction => transaction.ListRightPushAsync(Key, elements));
        }
    }

    /// <summary>The codec elements are stored with.</summary>
    private protected IRedisCodec<T> Codec { get; }

    /// <summary>Gets or sets the element at <paramref name="index"/>; negative indexes count from the end. O(n).</summary>
    /// <param name="index">The position; -1 is the last element.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public T this[int index]
    {
        get => Element(index, Call(() => Database.ListGetByIndex(Key, index)));
        set
        {
            var element = Codec.Encode(value);
            SetElement(index, () => Call(() => { Database.ListSetByIndex(Key, index, element); return true; }));
        }
    }

    /// <summary>Gets or sets the element at <paramref name="index"/> (<c>^1</c> is the last). O(n).</summary>
    /// <param name="index">The position.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public T this[Index index]
    {
        get => this[Offset(index)];
        set => this[Offset(index)] = value;
    }

    /// <summary>The elements in <paramref name="range"/>, read in one <c>LRANGE</c> (Python's <c>list[a:b]</c>).</summary>
    /// <param name="range">The slice; out-of-range bounds are clipped, as in Python.</param>
    public List<T> this[Range range] => GetRange(range);

    /// <summary>The number of elements (<c>LLEN</c>).</summary>
    public int Count => (int)Call(() => Database.ListLength(Key));

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>Gets the element at <paramref name="index"/>; negative indexes count from the end. O(n).</summary>
    /// <param name="index">The position.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public Task<T> GetAsync(int index, CancellationToken cancellationToken = default) =>
        CallAsync(
            (List: this, Index: index),
            static s => s.List.Database.ListGetByIndexAsync(s.List.Key, s.Index),
            static (s, raw) => s.List.Element(s.Index, raw),
            cancellationToken);

    /// <summary>Sets the element at <paramref name="index"/>; negative indexes count from the end. O(n).</summary>
    /// <param name="index">The position.</param>
    /// <param name="value">The new element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public async Task SetAsync(int index, T value, CancellationToken cancellationToken = default)
    {
        var element = Codec.Encode(value);
        try
        {
            await CallAsync(async () => { await Database.ListSetByIndexAsync(Key, index, element).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException error) when (IsOutOfRange(error))
        {
            throw OutOfRange(index, error);
        }
    }

    /// <summary>The elements in <paramref name="range"/>, read in one <c>LRANGE</c>.</summary>
    /// <param name="range">The slice; out-of-range bounds are clipped, as in Python.</param>
    /// <returns>The elements.</returns>
    public List<T> GetRange(Range range) =>
        Bounds(range) is var (start, stop) && stop is null ? [] : Decode(Call(() => Database.ListRange(Key, start, stop!.Value)), start);

    /// <summary>The elements in <paramref name="range"/>, read in one <c>LRANGE</c>.</summary>
    /// <param name="range">The slice; out-of-range bounds are clipped, as in Python.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The elements.</returns>
    public async Task<List<T>> GetRangeAsync(Range range, CancellationToken cancellationToken = default)
    {
        var (start, stop) = Bounds(range);
        return stop is null ? [] : Decode(await CallAsync(() => Database.ListRangeAsync(Key, start, stop.Value), cancellationToken).ConfigureAwait(false), start);
    }

    /// <summary>The number of elements (<c>LLEN</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        (int)await CallAsync(() => Database.ListLengthAsync(Key), cancellationToken).ConfigureAwait(false);

    /// <summary>Appends an element (<c>RPUSH</c>).</summary>
    /// <param name="item">The element.</param>
    public void Add(T item) => AddRange([item]);

    /// <summary>Appends an element (<c>RPUSH</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public Task AddAsync(T item, CancellationToken cancellationToken = default) => AddRangeAsync([item], cancellationToken);

    /// <summary>Appends elements in order, in one <c>RPUSH</c> (Python's <c>list.extend</c>).</summary>
    /// <param name="items">The elements.</param>
    public void AddRange(IEnumerable<T> items) => Push(Right, Encode(items));

    /// <summary>Appends elements in order, in one <c>RPUSH</c> (Python's <c>list.extend</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public Task AddRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => PushAsync(Right, Encode(items), cancellationToken);

    /// <summary>
    /// Inserts <paramref name="item"/> before position <paramref name="index"/>, atomically. As in
    /// Python's <c>list.insert</c>, positions past either end insert at that end. O(n).
    /// </summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="item">The element.</param>
    public void Insert(int index, T item) => Inserted(Evaluate(ListScripts.Insert, [Key], InsertArguments(index, item)));

    /// <summary>Inserts <paramref name="item"/> before position <paramref name="index"/>, atomically (see <see cref="Insert"/>).</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public async Task InsertAsync(int index, T item, CancellationToken cancellationToken = default) =>
        Inserted(await EvaluateAsync(ListScripts.Insert, [Key], InsertArguments(index, item), cancellationToken).ConfigureAwait(false));

    /// <summary>Removes the element at <paramref name="index"/>, atomically (Python's <c>del list[i]</c>). O(n).</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public void RemoveAt(int index) => Pop(index);

    /// <summary>Removes the element at <paramref name="index"/>, atomically. O(n).</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there.</exception>
    public Task RemoveAtAsync(int index, CancellationToken cancellationToken = default) => PopAsync(index, cancellationToken);

    /// <summary>Removes and returns the element at <paramref name="index"/> (the last by default), atomically, like Python's <c>list.pop</c>.</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <returns>The element removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there (including an empty list).</exception>
    public T Pop(int index = -1) => Removed(index, Evaluate(ListScripts.RemoveAt, [Key], [index, Tombstone()]));

    /// <summary>Removes and returns the element at <paramref name="index"/> (the last by default), atomically.</summary>
    /// <param name="index">The position; negative counts from the end.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no element there (including an empty list).</exception>
    public async Task<T> PopAsync(int index = -1, CancellationToken cancellationToken = default) =>
        Removed(index, await EvaluateAsync(ListScripts.RemoveAt, [Key], [index, Tombstone()], cancellationToken).ConfigureAwait(false));

    /// <summary>Removes the first occurrence of <paramref name="item"/> (<c>LREM 1</c>).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(T item)
    {
        var element = Codec.Encode(item);
        return Call(() => Database.ListRemove(Key, element, 1)) > 0;
    }

    /// <summary>Removes the first occurrence of <paramref name="item"/> (<c>LREM 1</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it was present.</returns>
    public async Task<bool> RemoveAsync(T item, CancellationToken cancellationToken = default)
    {
        var element = Codec.Encode(item);
        return await CallAsync(() => Database.ListRemoveAsync(Key, element, 1), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>The position of the first occurrence of <paramref name="item"/> (<c>LPOS</c>), or -1. O(n).</summary>
    /// <param name="item">The element.</param>
    /// <returns>The position, or -1.</returns>
    public int IndexOf(T item)
    {
        var element = Codec.Encode(item);
        return (int)Call(() => Database.ListPosition(Key, element));
    }

    /// <summary>The position of the first occurrence of <paramref name="item"/> (<c>LPOS</c>), or -1. O(n).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The position, or -1.</returns>
    public async Task<int> IndexOfAsync(T item, CancellationToken cancellationToken = default)
    {
        var element = Codec.Encode(item);
        return (int)await CallAsync(() => Database.ListPositionAsync(Key, element), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="item"/> occurs (<c>LPOS</c>). O(n).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it occurs.</returns>
    public bool Contains(T item) => IndexOf(item) >= 0;

    /// <summary>Whether <paramref name="item"/> occurs (<c>LPOS</c>). O(n).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it occurs.</returns>
    public async Task<bool> ContainsAsync(T item, CancellationToken cancellationToken = default) =>
        await IndexOfAsync(item, cancellationToken).ConfigureAwait(false) >= 0;

    /// <summary>Removes every element (deletes the list).</summary>
    public void Clear() => Call(() => Database.KeyDelete(Key));

    /// <summary>Removes every element (deletes the list).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is gone.</returns>
    public Task ClearAsync(CancellationToken cancellationToken = default) => CallAsync(() => Database.KeyDeleteAsync(Key), cancellationToken);

    /// <summary>
    /// Sorts the list in Redis (<c>SORT … STORE</c> into itself). Numbers (by the default codecs)
    /// sort numerically; everything else sorts by its stored bytes (<c>ALPHA</c>), not by a .NET comparer.
    /// </summary>
    /// <param name="descending">Largest first.</param>
    public void Sort(bool descending = false) =>
        Call(() => Database.SortAndStore(Key, Key, order: Order(descending), sortType: SortType));

    /// <summary>Sorts the list in Redis (see <see cref="Sort"/>).</summary>
    /// <param name="descending">Largest first.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is sorted.</returns>
    public Task SortAsync(bool descending = false, CancellationToken cancellationToken = default) =>
        CallAsync(() => Database.SortAndStoreAsync(Key, Key, order: Order(descending), sortType: SortType), cancellationToken);

    /// <summary>
    /// A new list holding this list's elements followed by <paramref name="other"/>'s (Python's
    /// <c>a + b</c>), written in one script; with another <see cref="RedisList{T}"/> on the same
    /// server Redis copies both without sending them here.
    /// </summary>
    /// <param name="other">Another list or any items.</param>
    /// <param name="destination">The new list's key, or <see langword="null"/> for a random key the new list owns.</param>
    /// <returns>The new list.</returns>
    public RedisList<T> Concat(IEnumerable<T> other, RedisKey? destination = null)
    {
        var result = new RedisList<T>(Database, destination, Codec);
        var (otherKey, values) = ConcatOperand(other, result);
        Evaluate(ListScripts.Concat, [Key, otherKey, result.Key], values);
        return result;
    }

    /// <summary>A new list holding this list's elements followed by <paramref name="other"/>'s (see <see cref="Concat"/>).</summary>
    /// <param name="other">Another list or any items.</param>
    /// <param name="destination">The new list's key, or <see langword="null"/> for a random key the new list owns.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The new list.</returns>
    public async Task<RedisList<T>> ConcatAsync(IEnumerable<T> other, RedisKey? destination = null, CancellationToken cancellationToken = default)
    {
        var result = new RedisList<T>(Database, destination, Codec);
        var (otherKey, values) = ConcatOperand(other, result);
        await EvaluateAsync(ListScripts.Concat, [Key, otherKey, result.Key], values, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Whether both lists hold equal elements in the same order; between lists on one server Redis compares the stored bytes.</summary>
    /// <param name="other">Another list or any items.</param>
    /// <returns>Whether they are equal.</returns>
    public bool ContentEquals(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other is RedisList<T> list && SharesScriptScopeWith(list)
            ? (long)Evaluate(ListScripts.ContentEquals, [Key, list.Key], []) == 1
            : GetRange(..).SequenceEqual(other is RedisList<T> remote ? remote.GetRange(..) : other);
    }

    /// <summary>Whether both lists hold equal elements in the same order (see <see cref="ContentEquals"/>).</summary>
    /// <param name="other">Another list or any items.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether they are equal.</returns>
    public async Task<bool> ContentEqualsAsync(IEnumerable<T> other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is RedisList<T> list && SharesScriptScopeWith(list))
        {
            return (long)await EvaluateAsync(ListScripts.ContentEquals, [Key, list.Key], [], cancellationToken).ConfigureAwait(false) == 1;
        }

        var mine = await GetRangeAsync(.., cancellationToken).ConfigureAwait(false);
        return mine.SequenceEqual(other is RedisList<T> remote ? await remote.GetRangeAsync(.., cancellationToken).ConfigureAwait(false) : other);
    }

    /// <summary>Streams the elements in pages of <see cref="PageSize"/> (<c>LRANGE</c>).</summary>
    /// <returns>The elements, first to last.</returns>
    public IEnumerator<T> GetEnumerator()
    {
        for (long start = 0; ; start += PageSize)
        {
            var page = Call(() => Database.ListRange(Key, start, start + PageSize - 1));
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

    /// <summary>Streams the elements in pages of <see cref="PageSize"/> (<c>LRANGE</c>).</summary>
    /// <param name="cancellationToken">Stops between pages.</param>
    /// <returns>The elements, first to last.</returns>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        for (long start = 0; ; start += PageSize)
        {
            var first = start;
            var page = await CallAsync(() => Database.ListRangeAsync(Key, first, first + PageSize - 1), cancellationToken).ConfigureAwait(false);
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
    protected override RedisType RedisType => RedisType.List;

    /// <summary>The side a push happens on.</summary>
    private protected const string Left = "left";

    /// <summary>The side a push happens on.</summary>
    private protected const string Right = "right";

    /// <summary>Pushes elements on one side in one round trip, trimming to the bound if there is one.</summary>
    private protected void Push(string side, RedisValue[] elements)
    {
        if (elements.Length == 0)
        {
            return;
        }

        if (_bound is { } limit)
        {
            Evaluate(ListScripts.PushBounded, [Key], [side, limit, .. elements]);
        }
        else if (side == Left)
        {
            Call(() => Database.ListLeftPush(Key, elements));
        }
        else
        {
            Call(() => Database.ListRightPush(Key, elements));
        }
    }

    /// <summary>Pushes elements on one side in one round trip, trimming to the bound if there is one.</summary>
    private protected async Task PushAsync(string side, RedisValue[] elements, CancellationToken cancellationToken)
    {
        if (elements.Length == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        if (_bound is { } limit)
        {
            await EvaluateAsync(ListScripts.PushBounded, [Key], [side, limit, .. elements], cancellationToken).ConfigureAwait(false);
        }
        else if (side == Left)
        {
            await CallAsync(() => Database.ListLeftPushAsync(Key, elements), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CallAsync(
                (List: this, Elements: elements),
                static s => s.Elements.Length == 1 ? s.List.Database.ListRightPushAsync(s.List.Key, s.Elements[0]) : s.List.Database.ListRightPushAsync(s.List.Key, s.Elements),
                static (_, length) => length,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Encodes elements in order.</summary>
    private protected RedisValue[] Encode(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Select(item => Codec.Encode(item)).ToArray();
    }

    /// <summary>Decodes an element read from <paramref name="index"/>.</summary>
    private protected T DecodeAt(RedisValue element, long index) => Codec.DecodeAt(element, Key, $"[{index}]");

    private static SortType SortType =>
        typeof(T) == typeof(string) || !(typeof(T).IsPrimitive || typeof(T) == typeof(decimal) || typeof(T) == typeof(BigInteger)) || typeof(T) == typeof(bool) || typeof(T) == typeof(char)
            ? SortType.Alphabetic
            : SortType.Numeric;

    private static Order Order(bool descending) => descending ? StackExchange.Redis.Order.Descending : StackExchange.Redis.Order.Ascending;

    private static bool IsOutOfRange(RedisServerException error) => error.Message.Contains("index out of range", StringComparison.Ordinal);

    private static int Offset(Index index) => index.IsFromEnd ? -index.Value : index.Value;

    // A random value no user element will equal, used to address one position by value.
    private static RedisValue Tombstone() => "pottery:tombstone:" + RandomKey.Suffix() + RandomKey.Suffix();

    // LRANGE bounds for a Python slice; null stop when the slice is certainly empty.
    private static (long Start, long? Stop) Bounds(Range range)
    {
        long start = Offset(range.Start);
        if (range.End.IsFromEnd)
        {
            return (start, -(long)range.End.Value - 1);
        }

        return range.End.Value == 0 ? (start, null) : (start, range.End.Value - 1L);
    }

    private ArgumentOutOfRangeException OutOfRange(long index, Exception? inner = null) =>
        new($"Index {index} is outside the list at Redis key '{Key}'.", inner);

    private void SetElement(int index, Func<bool> set)
    {
        try
        {
            set();
        }
        catch (RedisServerException error) when (IsOutOfRange(error))
        {
            throw OutOfRange(index, error);
        }
    }

    private T Element(long index, RedisValue element) => element.IsNull ? throw OutOfRange(index) : DecodeAt(element, index);

    private List<T> Decode(RedisValue[] elements, long firstIndex) =>
        elements.Select((element, i) => DecodeAt(element, firstIndex >= 0 ? firstIndex + i : i)).ToList();

    private RedisValue[] InsertArguments(int index, T item) => [index, Codec.Encode(item), Tombstone(), _bound ?? 0];

    private void Inserted(RedisResult result)
    {
        if ((long)result < 0)
        {
            throw new InvalidOperationException($"The deque at Redis key '{Key}' is already at its maximum size of {_bound}.");
        }
    }

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

    private (RedisKey OtherKey, RedisValue[] Values) ConcatOperand(IEnumerable<T> other, RedisList<T> result)
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

        var items = other is RedisList<T> remote ? remote.GetRange(..) : other;
        return (result.Key, ["1", .. Encode(items)]);
    }
}

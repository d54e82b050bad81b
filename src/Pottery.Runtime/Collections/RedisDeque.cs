using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A double-ended queue stored in a Redis list, like Python's <c>collections.deque</c> (pottery's
/// <c>RedisDeque</c>), optionally bounded: with <see cref="MaxLength"/>, appending on one side drops
/// elements from the other, atomically, exactly as a bounded deque does.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Its ends are named as <see cref="LinkedList{T}"/>'s (<see cref="AddFirst"/>, <see cref="RemoveLast"/>, …).
/// <see cref="MaxLength"/> belongs to this object, not to the Redis key (as in pottery): two
/// deques over one key may bound it differently. Everything a list does, a deque does too.
/// </remarks>
public sealed class RedisDeque<T> : RedisList<T>
{
    /// <summary>Opens the deque at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The list's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxLength">The most elements kept, or <see langword="null"/> for no bound.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <remarks>
    /// A bounded deque over a given key reads the list's length once (<c>LLEN</c>), here, as pottery
    /// does: its first append would otherwise trim away elements it never held. Open it
    /// asynchronously with <see cref="CreateAsync"/> and no items.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative, or the stored list is longer (pottery's <c>IndexError</c>).</exception>
    public RedisDeque(IDatabase database, RedisKey? key = null, int? maxLength = null, IRedisCodec<T>? codec = null)
        : this(database, key, maxLength, codec, checkStoredLength: true)
    {
    }

    /// <summary>Creates the deque with initial elements in one atomic write; with a bound only the last <paramref name="maxLength"/> are kept.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial elements, left to right; with none, the deque opens what is stored at the key.</param>
    /// <param name="key">The list's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxLength">The most elements kept, or <see langword="null"/> for no bound.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative, or <paramref name="items"/> is empty and the stored list is longer (pottery's <c>IndexError</c>).</exception>
    public RedisDeque(IDatabase database, IEnumerable<T> items, RedisKey? key = null, int? maxLength = null, IRedisCodec<T>? codec = null)
        : this(database, Materialize(items), key, maxLength, codec)
    {
    }

    private RedisDeque(IDatabase database, RedisKey? key, int? maxLength, IRedisCodec<T>? codec, bool checkStoredLength)
        : base(database, key, codec, maxLength)
    {
        MaxLength = maxLength;
        if (checkStoredLength)
        {
            Sync.Wait(CheckStoredLengthAsync(CancellationToken.None));
        }
    }

    private RedisDeque(IDatabase database, T[] items, RedisKey? key, int? maxLength, IRedisCodec<T>? codec)
        : base(database, items, key, codec, maxLength)
    {
        MaxLength = maxLength;
        if (items.Length == 0)
        {
            Sync.Wait(CheckStoredLengthAsync(CancellationToken.None));
        }
    }

    /// <summary>The most elements this deque keeps, or <see langword="null"/> when unbounded.</summary>
    public int? MaxLength { get; }

    /// <summary>Creates the deque with initial elements in one atomic write; with a bound only the last <paramref name="maxLength"/> are kept.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial elements, first to last; with none, the deque opens what is stored at the key.</param>
    /// <param name="key">The list's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxLength">The most elements kept, or <see langword="null"/> for no bound.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The deque.</returns>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative, or <paramref name="items"/> is empty and the stored list is longer (pottery's <c>IndexError</c>).</exception>
    public static async ValueTask<RedisDeque<T>> CreateAsync(IDatabase database, IEnumerable<T> items, RedisKey? key = null, int? maxLength = null, IRedisCodec<T>? codec = null, CancellationToken cancellationToken = default)
    {
        var elements = Materialize(items);
        var deque = new RedisDeque<T>(database, key, maxLength, codec, checkStoredLength: false);
        if (elements.Length == 0)
        {
            await deque.CheckStoredLengthAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await deque.InitializeAsync(elements, cancellationToken).ConfigureAwait(false);
        }

        return deque;
    }

    /// <summary>Adds an element at the end, like <see cref="LinkedList{T}.AddLast(T)"/> (pottery's <c>append</c>; the same as <see cref="RedisList{T}.Add"/>).</summary>
    /// <param name="item">The element.</param>
    public void AddLast(T item) => Sync.Wait(AddLastAsync(item));

    /// <summary>Adds an element at the end (pottery's <c>append</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public ValueTask AddLastAsync(T item, CancellationToken cancellationToken = default) => PushAsync(Right, [Codec.Encode(item)], cancellationToken);

    /// <summary>Adds an element at the start, like <see cref="LinkedList{T}.AddFirst(T)"/> (pottery's <c>appendleft</c>).</summary>
    /// <param name="item">The element.</param>
    public void AddFirst(T item) => Sync.Wait(AddFirstAsync(item));

    /// <summary>Adds an element at the start (pottery's <c>appendleft</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public ValueTask AddFirstAsync(T item, CancellationToken cancellationToken = default) => PushAsync(Left, [Codec.Encode(item)], cancellationToken);

    /// <summary>Adds elements at the end in order, in one round trip (pottery's <c>extend</c>; the same as <see cref="RedisList{T}.AddRange"/>).</summary>
    /// <param name="items">The elements.</param>
    public void AddLastRange(IEnumerable<T> items) => Sync.Wait(AddLastRangeAsync(items));

    /// <summary>Adds elements at the end in order, in one round trip (pottery's <c>extend</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public ValueTask AddLastRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => PushAsync(Right, Encode(items), cancellationToken);

    /// <summary>
    /// Adds elements at the start one after another, in one round trip (pottery's <c>extendleft</c>):
    /// as in Python the result is reversed, <c>AddFirstRange([1, 2, 3])</c> leaves <c>3, 2, 1</c> in front.
    /// </summary>
    /// <param name="items">The elements.</param>
    public void AddFirstRange(IEnumerable<T> items) => Sync.Wait(AddFirstRangeAsync(items));

    /// <summary>Adds elements at the start one after another, in one round trip (see <see cref="AddFirstRange"/>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public ValueTask AddFirstRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => PushAsync(Left, Encode(items), cancellationToken);

    /// <summary>Removes and returns the first element (<c>LPOP</c>; pottery's <c>popleft</c>).</summary>
    /// <returns>The element.</returns>
    /// <exception cref="InvalidOperationException">The deque is empty, as with <see cref="LinkedList{T}.RemoveFirst"/>.</exception>
    public T RemoveFirst() => Sync.Wait(RemoveFirstAsync());

    /// <summary>Removes and returns the first element (<c>LPOP</c>; pottery's <c>popleft</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element.</returns>
    /// <exception cref="InvalidOperationException">The deque is empty.</exception>
    public ValueTask<T> RemoveFirstAsync(CancellationToken cancellationToken = default) => PopEndAsync(Left, static (deque, _) => Empty(deque), cancellationToken);

    /// <summary>Removes and returns the last element (<c>RPOP</c>; pottery's <c>pop</c>).</summary>
    /// <returns>The element.</returns>
    /// <exception cref="InvalidOperationException">The deque is empty, as with <see cref="LinkedList{T}.RemoveLast"/>.</exception>
    public T RemoveLast() => Sync.Wait(RemoveLastAsync());

    /// <summary>Removes and returns the last element (<c>RPOP</c>; pottery's <c>pop</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element.</returns>
    /// <exception cref="InvalidOperationException">The deque is empty.</exception>
    public ValueTask<T> RemoveLastAsync(CancellationToken cancellationToken = default) => PopEndAsync(Right, static (deque, _) => Empty(deque), cancellationToken);

    /// <summary>Rotates <paramref name="steps"/> to the right (negative: left), atomically in Redis (<c>deque.rotate</c>).</summary>
    /// <param name="steps">How far; <c>Rotate(1)</c> moves the last element to the front.</param>
    public void Rotate(int steps = 1) => Sync.Wait(RotateAsync(steps));

    /// <summary>Rotates <paramref name="steps"/> to the right (negative: left), atomically in Redis (<c>deque.rotate</c>).</summary>
    /// <param name="steps">How far; <c>Rotate(1)</c> moves the last element to the front.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the deque is rotated.</returns>
    public async ValueTask RotateAsync(int steps = 1, CancellationToken cancellationToken = default) =>
        await EvaluateAsync(ListScripts.Rotate, [Key], [steps], 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);

    private static InvalidOperationException Empty(RedisList<T> deque) => new($"The deque at Redis key '{deque.Key}' is empty.");

    private static T[] Materialize(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.ToArray();
    }

    // Only a bounded deque over a list someone else may have filled has anything to check; the
    // bound is this object's, so the check is made once, when it is opened.
    private async ValueTask CheckStoredLengthAsync(CancellationToken cancellationToken)
    {
        if (MaxLength is not { } limit || OwnsKey)
        {
            return;
        }

        var length = await CountAsync(cancellationToken).ConfigureAwait(false);
        if (length > limit)
        {
            throw LongerThan(limit, length, Key);
        }
    }

    private static ArgumentOutOfRangeException LongerThan(int maxLength, int length, RedisKey key) => new(
        nameof(maxLength),
        maxLength,
        $"The list at Redis key '{key}' holds {length} elements, more than the deque's maximum length of {maxLength} (pottery raises IndexError: persistent RedisDeque beyond its maximum size); " +
        "opening it would let the next append drop elements from the other end. Open it with a larger maxLength, or none.");
}

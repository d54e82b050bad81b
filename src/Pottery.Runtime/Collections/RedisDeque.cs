using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A double-ended queue stored in a Redis list, like Python's <c>collections.deque</c> (pottery's
/// <c>RedisDeque</c>), optionally bounded: with <see cref="MaxLength"/>, appending on one side drops
/// elements from the other, atomically, exactly as a bounded deque does.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
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
    public RedisDeque(IDatabase database, RedisKey? key = null, int? maxLength = null, IRedisCodec<T>? codec = null)
        : base(database, key, codec, maxLength)
    {
        MaxLength = maxLength;
    }

    /// <summary>Creates the deque with initial elements in one atomic write; with a bound only the last <paramref name="maxLength"/> are kept.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial elements, left to right.</param>
    /// <param name="key">The list's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxLength">The most elements kept, or <see langword="null"/> for no bound.</param>
    /// <param name="codec">How elements are stored; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="KeyExistsException"><paramref name="items"/> is not empty and the key already exists.</exception>
    public RedisDeque(IDatabase database, IEnumerable<T> items, RedisKey? key = null, int? maxLength = null, IRedisCodec<T>? codec = null)
        : base(database, items, key, codec, maxLength)
    {
        MaxLength = maxLength;
    }

    /// <summary>The most elements this deque keeps, or <see langword="null"/> when unbounded.</summary>
    public int? MaxLength { get; }

    /// <summary>Adds an element on the right (<c>deque.append</c>).</summary>
    /// <param name="item">The element.</param>
    public void Append(T item) => Push(Right, Encode([item]));

    /// <summary>Adds an element on the right (<c>deque.append</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public Task AppendAsync(T item, CancellationToken cancellationToken = default) => PushAsync(Right, Encode([item]), cancellationToken);

    /// <summary>Adds an element on the left (<c>deque.appendleft</c>).</summary>
    /// <param name="item">The element.</param>
    public void AppendLeft(T item) => Push(Left, Encode([item]));

    /// <summary>Adds an element on the left (<c>deque.appendleft</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public Task AppendLeftAsync(T item, CancellationToken cancellationToken = default) => PushAsync(Left, Encode([item]), cancellationToken);

    /// <summary>Adds elements on the right in order, in one round trip (<c>deque.extend</c>).</summary>
    /// <param name="items">The elements.</param>
    public void Extend(IEnumerable<T> items) => Push(Right, Encode(items));

    /// <summary>Adds elements on the right in order, in one round trip (<c>deque.extend</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public Task ExtendAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => PushAsync(Right, Encode(items), cancellationToken);

    /// <summary>
    /// Adds elements on the left one after another, in one round trip (<c>deque.extendleft</c>): as
    /// in Python the result is reversed, <c>ExtendLeft([1, 2, 3])</c> leaves <c>3, 2, 1</c> in front.
    /// </summary>
    /// <param name="items">The elements.</param>
    public void ExtendLeft(IEnumerable<T> items) => Push(Left, Encode(items));

    /// <summary>Adds elements on the left one after another, in one round trip (see <see cref="ExtendLeft"/>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when they are stored.</returns>
    public Task ExtendLeftAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => PushAsync(Left, Encode(items), cancellationToken);

    /// <summary>Removes and returns the leftmost element (<c>deque.popleft</c>); <see cref="RedisList{T}.Pop"/> takes the rightmost.</summary>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The deque is empty.</exception>
    public T PopLeft() => Pop(0);

    /// <summary>Removes and returns the leftmost element (<c>deque.popleft</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The deque is empty.</exception>
    public Task<T> PopLeftAsync(CancellationToken cancellationToken = default) => PopAsync(0, cancellationToken);

    /// <summary>Rotates <paramref name="steps"/> to the right (negative: left), atomically in Redis (<c>deque.rotate</c>).</summary>
    /// <param name="steps">How far; <c>Rotate(1)</c> moves the last element to the front.</param>
    public void Rotate(int steps = 1) => Evaluate(ListScripts.Rotate, [Key], [steps]);

    /// <summary>Rotates <paramref name="steps"/> to the right (negative: left), atomically in Redis (<c>deque.rotate</c>).</summary>
    /// <param name="steps">How far; <c>Rotate(1)</c> moves the last element to the front.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the deque is rotated.</returns>
    public Task RotateAsync(int steps = 1, CancellationToken cancellationToken = default) =>
        EvaluateAsync(ListScripts.Rotate, [Key], [steps], cancellationToken);
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>Python's slices with a step, their assignment and deletion, counting and reversing.</summary>
public partial class RedisList<T>
{
    /// <summary>
    /// The elements of Python's <c>l[start:stop:step]</c>, read in one atomic script. A
    /// <see langword="null"/> bound is Python's omitted one (<c>l[::-1]</c> is
    /// <c>Slice(null, null, -1)</c>); negative bounds count from the end; out-of-range bounds are clipped.
    /// </summary>
    /// <param name="start">The first position, or <see langword="null"/>: the first element (the last with a negative step).</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/>: past the last element (before the first with a negative step).</param>
    /// <param name="step">The distance between positions; negative walks backwards.</param>
    /// <returns>The elements, in the slice's order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is 0.</exception>
    public List<T> Slice(int? start, int? stop, int step = 1) => Sync.Wait(SliceAsync(start, stop, step));

    /// <summary>The elements of Python's <c>l[start:stop:step]</c>, read in one atomic script (see <see cref="Slice"/>).</summary>
    /// <param name="start">The first position, or <see langword="null"/>: the first element (the last with a negative step).</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/>: past the last element (before the first with a negative step).</param>
    /// <param name="step">The distance between positions; negative walks backwards.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The elements, in the slice's order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is 0.</exception>
    public ValueTask<List<T>> SliceAsync(int? start, int? stop, int step = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(step);
        return EvaluateAsync(ListSliceScripts.Get, [Key], SliceArguments(start, stop, step), (List: this, Step: step), static (reply, s, _) => s.List.DecodeSlice(reply, s.Step), cancellationToken);
    }

    /// <summary>
    /// Python's <c>l[start:stop] = values</c>: replaces the slice by <paramref name="values"/>, which
    /// may be fewer or more elements, in one atomic script (an empty slice inserts at
    /// <paramref name="start"/>). Rewrites only the elements on the shorter side of the slice.
    /// </summary>
    /// <param name="start">The first position replaced, or <see langword="null"/> for the first element.</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/> for the end.</param>
    /// <param name="values">The new elements.</param>
    /// <exception cref="InvalidOperationException">The list is a bounded deque that would outgrow its maximum length; nothing was written.</exception>
    public void SetSlice(int? start, int? stop, IEnumerable<T> values) => Sync.Wait(SetSliceAsync(start, stop, values));

    /// <summary>Python's <c>l[start:stop] = values</c>, in one atomic script (see <see cref="SetSlice(int?, int?, IEnumerable{T})"/>).</summary>
    /// <param name="start">The first position replaced, or <see langword="null"/> for the first element.</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/> for the end.</param>
    /// <param name="values">The new elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is written.</returns>
    /// <exception cref="InvalidOperationException">The list is a bounded deque that would outgrow its maximum length; nothing was written.</exception>
    public ValueTask SetSliceAsync(int? start, int? stop, IEnumerable<T> values, CancellationToken cancellationToken = default) =>
        SetSliceAsync(start, stop, 1, values, cancellationToken);

    /// <summary>
    /// Python's <c>l[start:stop:step] = values</c>, in one atomic script. With a step of 1 the slice
    /// is replaced by any number of elements; with any other step (an extended slice)
    /// <paramref name="values"/> must hold exactly one element per position.
    /// </summary>
    /// <param name="start">The first position, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="step">The distance between positions; negative walks backwards.</param>
    /// <param name="values">The new elements, in the slice's order.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is 0.</exception>
    /// <exception cref="ArgumentException">An extended slice has another number of positions than <paramref name="values"/> has elements (Python's ValueError); nothing was written.</exception>
    /// <exception cref="InvalidOperationException">The list is a bounded deque that would outgrow its maximum length; nothing was written.</exception>
    public void SetSlice(int? start, int? stop, int step, IEnumerable<T> values) => Sync.Wait(SetSliceAsync(start, stop, step, values));

    /// <summary>Python's <c>l[start:stop:step] = values</c>, in one atomic script (see <see cref="SetSlice(int?, int?, int, IEnumerable{T})"/>).</summary>
    /// <param name="start">The first position, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="step">The distance between positions; negative walks backwards.</param>
    /// <param name="values">The new elements, in the slice's order.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is 0.</exception>
    /// <exception cref="ArgumentException">An extended slice has another number of positions than <paramref name="values"/> has elements; nothing was written.</exception>
    /// <exception cref="InvalidOperationException">The list is a bounded deque that would outgrow its maximum length; nothing was written.</exception>
    public async ValueTask SetSliceAsync(int? start, int? stop, int step, IEnumerable<T> values, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(step);
        var elements = Encode(values);
        var (written, size) = await EvaluateAsync(
            ListSliceScripts.Set,
            [Key],
            [.. SliceArguments(start, stop, step), _bound ?? -1, .. elements],
            0,
            static (reply, _, _) => ((long)reply[0], reply.Length > 1 ? (long)reply[1] : 0),
            cancellationToken).ConfigureAwait(false);
        switch (written)
        {
            case 0:
                throw new ArgumentException($"Attempt to assign a sequence of size {elements.Length} to an extended slice of size {size} of the list at Redis key '{Key}'.", nameof(values));
            case < 0:
                throw new InvalidOperationException($"The deque at Redis key '{Key}' would grow to {size} elements, past its maximum size of {_bound}.");
        }
    }

    /// <summary>Python's <c>l[a:b] = values</c> with a .NET range (<c>list.SetRange(1..^1, values)</c>); see <see cref="SetSlice(int?, int?, IEnumerable{T})"/>.</summary>
    /// <param name="range">The slice replaced; out-of-range bounds are clipped.</param>
    /// <param name="values">The new elements.</param>
    /// <exception cref="InvalidOperationException">The list is a bounded deque that would outgrow its maximum length; nothing was written.</exception>
    public void SetRange(Range range, IEnumerable<T> values) => Sync.Wait(SetRangeAsync(range, values));

    /// <summary>Python's <c>l[a:b] = values</c> with a .NET range; see <see cref="SetSlice(int?, int?, IEnumerable{T})"/>.</summary>
    /// <param name="range">The slice replaced; out-of-range bounds are clipped.</param>
    /// <param name="values">The new elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is written.</returns>
    /// <exception cref="InvalidOperationException">The list is a bounded deque that would outgrow its maximum length; nothing was written.</exception>
    public ValueTask SetRangeAsync(Range range, IEnumerable<T> values, CancellationToken cancellationToken = default)
    {
        var (start, stop) = SliceBounds(range);
        return SetSliceAsync(start, stop, 1, values, cancellationToken);
    }

    /// <summary>Python's <c>del l[start:stop:step]</c>: removes the slice's elements in one atomic script.</summary>
    /// <param name="start">The first position, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="step">The distance between positions; negative walks backwards.</param>
    /// <returns>How many elements were removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is 0.</exception>
    public int RemoveSlice(int? start, int? stop, int step = 1) => Sync.Wait(RemoveSliceAsync(start, stop, step));

    /// <summary>Python's <c>del l[start:stop:step]</c>, in one atomic script (see <see cref="RemoveSlice"/>).</summary>
    /// <param name="start">The first position, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="stop">The position to stop before, or <see langword="null"/> as in <see cref="Slice"/>.</param>
    /// <param name="step">The distance between positions; negative walks backwards.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>How many elements were removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is 0.</exception>
    public ValueTask<int> RemoveSliceAsync(int? start, int? stop, int step = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(step);
        return EvaluateAsync(ListSliceScripts.Remove, [Key], SliceArguments(start, stop, step), 0, static (removed, _, _) => (int)removed, cancellationToken);
    }

    /// <summary>
    /// Python's <c>del l[a:b]</c> with a .NET range (<c>list.RemoveRange(1..^1)</c>), in one atomic
    /// script. Unlike <see cref="List{T}.RemoveRange(int, int)"/> it takes a range, not an index and a count.
    /// </summary>
    /// <param name="range">The slice removed; out-of-range bounds are clipped.</param>
    /// <returns>How many elements were removed.</returns>
    public int RemoveRange(Range range) => Sync.Wait(RemoveRangeAsync(range));

    /// <summary>Python's <c>del l[a:b]</c> with a .NET range, in one atomic script (see <see cref="RemoveRange"/>).</summary>
    /// <param name="range">The slice removed; out-of-range bounds are clipped.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>How many elements were removed.</returns>
    public ValueTask<int> RemoveRangeAsync(Range range, CancellationToken cancellationToken = default)
    {
        var (start, stop) = SliceBounds(range);
        return RemoveSliceAsync(start, stop, 1, cancellationToken);
    }

    /// <summary>How many elements equal <paramref name="item"/> (Python's <c>l.count(x)</c>): one <c>LPOS … COUNT 0</c>, comparing stored bytes. O(n).</summary>
    /// <param name="item">The element.</param>
    /// <returns>The number of occurrences.</returns>
    public int CountOf(T item) => Sync.Wait(CountOfAsync(item));

    /// <summary>How many elements equal <paramref name="item"/> (Python's <c>l.count(x)</c>; see <see cref="CountOf"/>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The number of occurrences.</returns>
    public ValueTask<int> CountOfAsync(T item, CancellationToken cancellationToken = default) =>
        CallAsync(Codec.Encode(item), static (database, list, element) => database.ListPositionsAsync(list, element, count: 0), static (positions, _, _) => positions.Length, cancellationToken);

    /// <summary>Reverses the list in place (Python's <c>l.reverse()</c>), in one atomic script. O(n).</summary>
    public void Reverse() => Sync.Wait(ReverseAsync());

    /// <summary>Reverses the list in place (Python's <c>l.reverse()</c>), in one atomic script. O(n).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the list is reversed.</returns>
    public async ValueTask ReverseAsync(CancellationToken cancellationToken = default) =>
        await EvaluateAsync(ListSliceScripts.Reverse, [Key], [], 0, static (_, _, _) => true, cancellationToken).ConfigureAwait(false);

    // The scripts' arguments for a slice: an empty bound stands for Python's None.
    private static RedisValue[] SliceArguments(int? start, int? stop, int step) =>
        [start is { } first ? first : RedisValue.EmptyString, stop is { } last ? last : RedisValue.EmptyString, step];

    // A .NET range as Python slice bounds: ^k is -k, an open end is None, and a start of ^0 (the
    // end, which no negative Python index names) is clipped to the length like any start past it.
    private static (int? Start, int? Stop) SliceBounds(Range range) => (
        range.Start.IsFromEnd ? (range.Start.Value == 0 ? int.MaxValue : -range.Start.Value) : range.Start.Value,
        range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value);

    // The reply is the first position, then the elements.
    private List<T> DecodeSlice(RedisResult reply, int step)
    {
        var parts = (RedisValue[])reply!;
        var first = (long)parts[0];
        return parts.Skip(1).Select((element, i) => DecodeAt(element, first + ((long)i * step))).ToList();
    }
}

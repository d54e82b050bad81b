namespace Pottery;

/// <summary>How <see cref="RedisCounter{T}"/> combines two counters, as Python's <c>Counter</c> operators do; every result keeps only positive counts.</summary>
public enum CounterOperation
{
    /// <summary>Counts added (<c>a + b</c>).</summary>
    Add,

    /// <summary>Counts subtracted (<c>a - b</c>).</summary>
    Subtract,

    /// <summary>The larger count of each element (<c>a | b</c>).</summary>
    Union,

    /// <summary>The smaller count of each element (<c>a &amp; b</c>).</summary>
    Intersect,
}

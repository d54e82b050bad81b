using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// How two sets relate, from their sizes and the size of their intersection, all counted by
/// Redis in one round trip; every subset question is answered from these three numbers.
/// </summary>
/// <param name="Count">The size of the set compared.</param>
/// <param name="OtherCount">The size of the other set (distinct members).</param>
/// <param name="CommonCount">The size of their intersection.</param>
public readonly record struct SetComparison(long Count, long OtherCount, long CommonCount)
{
    /// <summary>Every member is in the other set.</summary>
    public bool IsSubset => CommonCount == Count;

    /// <summary>Every member of the other set is in this one.</summary>
    public bool IsSuperset => CommonCount == OtherCount;

    /// <summary>A subset, and smaller.</summary>
    public bool IsProperSubset => IsSubset && Count < OtherCount;

    /// <summary>A superset, and larger.</summary>
    public bool IsProperSuperset => IsSuperset && OtherCount < Count;

    /// <summary>At least one shared member.</summary>
    public bool Overlaps => CommonCount > 0;

    /// <summary>The same members.</summary>
    public bool AreEqual => IsSubset && Count == OtherCount;

    internal static SetComparison From(RedisResult result)
    {
        var counts = (long[])result!;
        return new SetComparison(counts[0], counts[1], counts[2]);
    }
}

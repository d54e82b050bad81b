using StackExchange.Redis;

namespace Pottery;

/// <summary>The encodable values of a membership test and where each stands among all <see cref="Count"/> asked about.</summary>
/// <param name="Encoded">The encoded values, in order.</param>
/// <param name="Positions">The position of each encoded value among all, or <see langword="null"/> when every value was encoded.</param>
/// <param name="Count">How many values were asked about.</param>
internal readonly record struct LookupBatch(RedisValue[] Encoded, int[]? Positions, int Count)
{
    /// <summary>One answer per value asked about: Redis' answer for an encoded value, false for the others.</summary>
    public bool[] Answers(bool[] found)
    {
        if (Positions is null)
        {
            return found;
        }

        var answers = new bool[Count];
        for (var i = 0; i < Positions.Length; i++)
        {
            answers[Positions[i]] = found[i];
        }

        return answers;
    }
}

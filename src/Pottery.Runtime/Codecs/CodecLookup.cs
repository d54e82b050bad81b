using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Encodes the values of a membership test. A value the codec has no stored form for (its
/// <see cref="IRedisCodec{T}.Encode"/> throws <see cref="NotSupportedException"/>) can never have
/// been stored, so it is not there: the test answers false for it, as pottery's <c>in</c> does,
/// and asks Redis only about the rest. Any other failure of the codec is still thrown.
/// </summary>
internal static class CodecLookup
{
    /// <summary>Encodes <paramref name="value"/>, or returns false when the codec has no form for it.</summary>
    public static bool TryEncode<T>(this IRedisCodec<T> codec, T value, out RedisValue encoded)
    {
        try
        {
            encoded = codec.Encode(value);
            return true;
        }
        catch (NotSupportedException)
        {
            encoded = RedisValue.Null;
            return false;
        }
    }

    /// <summary>Encodes the values the codec has a form for, remembering where each came from.</summary>
    public static LookupBatch EncodeLookups<T>(this IRedisCodec<T> codec, IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var encoded = new List<RedisValue>();
        List<int>? positions = null;
        var count = 0;
        foreach (var item in items)
        {
            if (codec.TryEncode(item, out var value))
            {
                encoded.Add(value);
                positions?.Add(count);
            }
            else
            {
                positions ??= [.. Enumerable.Range(0, count)];
            }

            count++;
        }

        return new LookupBatch([.. encoded], positions?.ToArray(), count);
    }
}

using System.Numerics;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Stores values as Python pottery does, <c>json.dumps(value, sort_keys=True)</c> (see
/// <see cref="PotteryJson"/>), so .NET and Python services share the same Redis structures:
/// a dict <c>{'jack': 4098}</c> is the hash field <c>"jack"</c> with value <c>4098</c>.
/// </summary>
/// <typeparam name="T">
/// <see cref="object"/> (any JSON value, read as <see cref="PotteryJson.Deserialize"/> returns it),
/// <see cref="string"/>, <see cref="bool"/>, an integer type or <see cref="BigInteger"/>,
/// <see cref="double"/>, <see cref="float"/>, <see cref="decimal"/>, nullable forms of these,
/// <c>List&lt;object?&gt;</c> or <c>Dictionary&lt;string, object?&gt;</c>.
/// </typeparam>
/// <remarks>
/// Reading is as strict as Python's types are distinct: <c>1</c>, <c>1.0</c> and <c>true</c> are
/// different values, so an <see cref="int"/> is never read from <c>true</c> or <c>1.0</c>, and a
/// <see cref="bool"/> never from <c>1</c>. Floating-point targets accept JSON integers.
/// </remarks>
public sealed class PotteryJsonCodec<T> : IRedisCodec<T>
{
    private static readonly Func<string, T> Convert = PotteryJsonConversions.For<T>();

    /// <summary>The shared instance.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a type the codec handles (thrown on first use).</exception>
    public static PotteryJsonCodec<T> Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(T value) => PotteryJson.Serialize(value);

    /// <inheritdoc />
    public T Decode(RedisValue value)
    {
        // Strict UTF-8, as strings are read everywhere: replaced bytes would be lost on the next write.
        return Convert(StringCodec.Instance.Decode(value));
    }
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores booleans as <c>true</c>/<c>false</c>; also reads <c>1</c>/<c>0</c>.</summary>
public sealed class BooleanCodec : IRedisCodec<bool>
{
    /// <summary>The shared instance.</summary>
    public static BooleanCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(bool value) => value ? "true" : "false";

    /// <inheritdoc />
    public bool Decode(RedisValue value) => (string?)value switch
    {
        "true" or "True" or "TRUE" or "1" => true,
        "false" or "False" or "FALSE" or "0" => false,
        _ => throw new FormatException("Expected true, false, 1 or 0."),
    };
}

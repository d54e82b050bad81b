using StackExchange.Redis;

namespace Pottery;

/// <summary>Stores GUIDs in their hyphenated form (<c>3f2504e0-4f89-11d3-9a0c-0305e82c3301</c>).</summary>
public sealed class GuidCodec : IRedisCodec<Guid>
{
    /// <summary>The shared instance.</summary>
    public static GuidCodec Instance { get; } = new();

    /// <inheritdoc />
    public RedisValue Encode(Guid value) => value.ToString("D");

    /// <inheritdoc />
    public Guid Decode(RedisValue value) =>
        Guid.TryParse((string?)value, out var result) ? result : throw new FormatException("Expected a GUID.");
}

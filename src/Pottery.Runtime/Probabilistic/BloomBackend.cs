namespace Pottery;

/// <summary>Where a <see cref="BloomFilter{T}"/> keeps its bits.</summary>
public enum BloomBackend
{
    /// <summary>A plain Redis string of bits, pottery's layout, readable and writable by Python pottery; works on every Redis.</summary>
    BitString,

    /// <summary>The RedisBloom module's <c>BF.*</c> commands; the server must load the module (Debian's <c>redis-server</c> does not).</summary>
    RedisBloomModule,
}

using System.Buffers.Binary;
using System.Numerics;

namespace Pottery;

/// <summary>
/// MurmurHash3, x86 32-bit variant, as Python's <c>mmh3.hash</c> computes it (signed result), which
/// pottery uses for Bloom filter bit offsets.
/// </summary>
internal static class MurmurHash3
{
    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    /// <summary>The signed 32-bit hash of <paramref name="data"/> with <paramref name="seed"/>.</summary>
    public static int Hash32(ReadOnlySpan<byte> data, uint seed)
    {
        var hash = seed;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            hash ^= Scramble(BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4)));
            hash = BitOperations.RotateLeft(hash, 13) * 5 + 0xe6546b64;
        }

        var tail = data[(blocks * 4)..];
        uint last = 0;
        switch (tail.Length)
        {
            case 3:
                last = (uint)tail[2] << 16 | (uint)tail[1] << 8 | tail[0];
                break;
            case 2:
                last = (uint)tail[1] << 8 | tail[0];
                break;
            case 1:
                last = tail[0];
                break;
        }

        if (tail.Length > 0)
        {
            hash ^= Scramble(last);
        }

        hash ^= (uint)data.Length;
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >> 16;
        return unchecked((int)hash);
    }

    private static uint Scramble(uint block) => BitOperations.RotateLeft(block * C1, 15) * C2;
}

using System.Text;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Redis Cluster's key-to-slot rule: CRC16 (XMODEM) of the key's hash tag, or of the whole key
/// when it has none, modulo 16384. Keys of one slot can be used together in a script.
/// </summary>
public static class HashSlot
{
    /// <summary>The number of slots in a Redis Cluster.</summary>
    public const int Count = 16384;

    /// <summary>The slot of <paramref name="key"/>.</summary>
    /// <param name="key">A Redis key.</param>
    /// <returns>A slot in 0…16383.</returns>
    public static int Of(RedisKey key) => Crc16(HashedPart((byte[])key!)) % Count;

    /// <summary>
    /// The part of a key Redis hashes: the text between the first <c>{</c> and the next <c>}</c>
    /// when that is not empty, otherwise the whole key.
    /// </summary>
    internal static ReadOnlySpan<byte> HashedPart(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0)
            {
                return key.Slice(open + 1, close);
            }
        }

        return key;
    }

    /// <summary>CRC16-CCITT (XMODEM), as Redis Cluster computes it.</summary>
    internal static int Crc16(ReadOnlySpan<byte> bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return crc & 0xFFFF;
    }

    internal static int Of(string text) => Crc16(HashedPart(Encoding.UTF8.GetBytes(text))) % Count;
}

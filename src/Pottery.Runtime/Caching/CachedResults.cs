using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// How a <see cref="RedisCache"/> stores results, <see langword="null"/> included (pottery caches
/// <c>None</c> like any other result). A codec that stores null itself (nullable values, MessagePack,
/// pottery's JSON) keeps its own bytes. For one that cannot (strings, byte arrays: Redis has no null
/// string), null is the single byte 0xC1, which neither UTF-8 nor MessagePack ever writes; a stored
/// value that starts with 0xC1 (only raw bytes can) gets one more in front, so every result reads
/// back as itself.
/// </summary>
internal static class CachedResults
{
    private const byte Marker = 0xC1;

    private static readonly ConditionalWeakTable<object, StrongBox<bool>> StoresNull = new();

    /// <summary>The bytes to store for <paramref name="result"/>.</summary>
    public static RedisValue Encode<T>(IRedisCodec<T> codec, T result)
    {
        if (result is null)
        {
            return CodecStoresNull(codec) ? codec.Encode(result) : new[] { Marker };
        }

        var encoded = codec.Encode(result);
        return default(T) is null && StartsWithMarker(encoded) && !CodecStoresNull(codec) ? (byte[])[Marker, .. (byte[])encoded!] : encoded;
    }

    /// <summary>The result stored as <paramref name="stored"/> (see <see cref="Encode"/>).</summary>
    /// <exception cref="CodecException">The bytes are not a valid encoding.</exception>
    public static T Decode<T>(IRedisCodec<T> codec, RedisValue stored, RedisKey key, RedisValue field)
    {
        // Only a result type that can be null can have been stored with the marker; for the others this folds away.
        if (default(T) is null && StartsWithMarker(stored) && !CodecStoresNull(codec))
        {
            var bytes = (byte[])stored!;
            return bytes.Length == 1 ? default! : codec.DecodeAt(bytes[1..], key, field);
        }

        return codec.DecodeAt(stored, key, field);
    }

    private static bool StartsWithMarker(RedisValue value) =>
        value.Length() > 0 && ((ReadOnlyMemory<byte>)value).Span[0] == Marker;

    // Asked once per codec object: codecs without a null throw ArgumentNullException, as the built-in ones do.
    private static bool CodecStoresNull<T>(IRedisCodec<T> codec) =>
        StoresNull.GetValue(codec, static codec =>
        {
            try
            {
                ((IRedisCodec<T>)codec).Encode(default!);
                return new(true);
            }
            catch (Exception error) when (error is ArgumentNullException or NullReferenceException or NotSupportedException)
            {
                return new(false);
            }
        }).Value;
}

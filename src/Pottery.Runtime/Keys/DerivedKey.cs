using System.Text;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Names of the helper keys a structure keeps next to its own (a queue's deliveries in flight, a
/// lock's fencing counter, a temporary result). Each is in the structure's hash slot, so scripts can
/// use both on Redis Cluster, and is made from the whole key, so two keys never share one: a key
/// with a hash tag gets <c>&lt;key&gt;#&lt;suffix&gt;</c>, a key without one
/// <c>{&lt;key&gt;}:&lt;suffix&gt;</c>.
/// </summary>
/// <remarks>
/// <para>The two forms cannot meet. A name of the first form ends in <c>#&lt;suffix&gt;</c>, one of the
/// second in <c>}:&lt;suffix&gt;</c> right after the tag, and no suffix contains <c>#</c>: for
/// <c>jobs</c> and <c>{jobs}</c> they are <c>{jobs}:sequence</c> and <c>{jobs}#sequence</c>. Within the
/// first form the last <c>#</c> separates key and suffix; within the second the first <c>}</c> ends the
/// key, which has none. A key that has no hash tag but contains <c>}</c> (or is empty) cannot be its own
/// tag: it gets <c>{&lt;n&gt;}|&lt;key&gt;|&lt;suffix&gt;</c>, where <c>n</c> is the smallest number in
/// its slot, and its last separator, <c>|</c>, is one no other form ends with.</para>
/// <para>A lock keeps its fence at <c>{redlock:&lt;name&gt;}:fence</c> for names without a hash tag, as
/// it always has.</para>
/// </remarks>
public static class DerivedKey
{
    private const char TaggedSeparator = '#';
    private const char FallbackSeparator = '|';

    /// <summary>The helper key <paramref name="suffix"/> of <paramref name="key"/>.</summary>
    /// <param name="key">The structure's key.</param>
    /// <param name="suffix">What the helper key holds, e.g. <c>in-flight</c>; without <c>#</c> or <c>|</c>.</param>
    /// <returns>A key in <paramref name="key"/>'s hash slot that no other key or suffix derives.</returns>
    /// <exception cref="ArgumentException"><paramref name="suffix"/> is empty or contains <c>#</c> or <c>|</c>.</exception>
    public static RedisKey For(RedisKey key, string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(suffix);
        if (suffix.Contains(TaggedSeparator, StringComparison.Ordinal) || suffix.Contains(FallbackSeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A derived key's suffix may not contain '{TaggedSeparator}' or '{FallbackSeparator}': they separate it from the key.", nameof(suffix));
        }

        var bytes = (byte[]?)key ?? [];
        if (HashSlot.HashedPart(bytes).Length != bytes.Length)
        {
            return Concat(bytes, TaggedSeparator + suffix);
        }

        if (bytes.Length > 0 && !bytes.AsSpan().Contains((byte)'}'))
        {
            return Concat([(byte)'{', .. bytes], "}:" + suffix);
        }

        return Concat([.. Encoding.UTF8.GetBytes($"{{{TemporaryKey.SameSlotTag(key)}}}{FallbackSeparator}"), .. bytes], FallbackSeparator + suffix);
    }

    private static RedisKey Concat(byte[] head, string tail) => (RedisKey)(byte[])[.. head, .. Encoding.UTF8.GetBytes(tail)];
}

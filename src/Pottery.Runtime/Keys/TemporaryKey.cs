using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Names for short-lived keys that a script uses together with a structure's key. They share
/// the structure's hash slot (<c>{&lt;key&gt;}:tmp:&lt;random&gt;</c>), so the script also runs on
/// Redis Cluster.
/// </summary>
public static class TemporaryKey
{
    /// <summary>A fresh temporary key in the same hash slot as <paramref name="key"/>.</summary>
    /// <param name="key">The structure's key.</param>
    /// <returns>A random key name in <paramref name="key"/>'s slot.</returns>
    public static RedisKey For(RedisKey key) => DerivedKey.For(key, "tmp:" + RandomKey.Suffix());

    /// <summary>A hash tag that hashes to <paramref name="key"/>'s slot.</summary>
    internal static string SameSlotTag(RedisKey key)
    {
        var bytes = (byte[])key!;
        var hashed = HashSlot.HashedPart(bytes);
        if (!hashed.Contains((byte)'}') && !hashed.IsEmpty)
        {
            // Wrapping the hashed part in braces makes it the tag, unchanged.
            return Encoding.UTF8.GetString(hashed);
        }

        // The hashed part cannot be a tag (it holds '}' or is empty): find a short tag with the same slot.
        var slot = HashSlot.Of(key);
        for (var n = 0; ; n++)
        {
            var candidate = n.ToString(CultureInfo.InvariantCulture);
            if (HashSlot.Of(candidate) == slot)
            {
                return candidate;
            }
        }
    }
}

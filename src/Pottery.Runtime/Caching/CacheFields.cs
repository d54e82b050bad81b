using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Turns a memoized function's arguments into its cache field, the same in every process and on
/// every machine (pottery hashes arguments with Python's per-process string hash, so its caches are
/// not shared). One argument is its codec's bytes, readable in <c>redis-cli</c>; several are each
/// prefixed with their byte length, so <c>("ab", "c")</c> and <c>("a", "bc")</c> differ.
/// </summary>
internal static class CacheFields
{
    /// <summary>The field of a call without arguments.</summary>
    public static readonly RedisValue NoArguments = "()";

    /// <summary>The field of several encoded arguments.</summary>
    public static RedisValue Of(params RedisValue[] arguments)
    {
        using var field = new MemoryStream();
        foreach (var argument in arguments)
        {
            var bytes = (byte[]?)argument ?? [];
            field.Write(System.Text.Encoding.ASCII.GetBytes($"{bytes.Length}:"));
            field.Write(bytes);
        }

        return field.ToArray();
    }
}

using System.Security.Cryptography;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Random, unused Redis key names for structures created without a key (pottery's <c>random_key</c>).
/// </summary>
public static class RandomKey
{
    /// <summary>The prefix of every random key Pottery creates.</summary>
    public const string DefaultPrefix = "pottery:";

    /// <summary>How many names are tried before giving up.</summary>
    public const int DefaultTries = 3;

    private const int SuffixLength = 16;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Finds a random key name that does not exist yet.</summary>
    /// <param name="database">The database the key must be unused in.</param>
    /// <param name="prefix">The prefix of the name.</param>
    /// <param name="tries">How many names to try.</param>
    /// <returns>An unused key.</returns>
    /// <exception cref="RandomKeyException">Every name tried was taken.</exception>
    public static RedisKey Create(IDatabase database, string prefix = DefaultPrefix, int tries = DefaultTries) =>
        Sync.Wait(CreateAsync(database, prefix, tries, Suffix, CancellationToken.None));

    /// <summary>Finds a random key name that does not exist yet.</summary>
    /// <param name="database">The database the key must be unused in.</param>
    /// <param name="prefix">The prefix of the name.</param>
    /// <param name="tries">How many names to try.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>An unused key.</returns>
    /// <exception cref="RandomKeyException">Every name tried was taken.</exception>
    public static ValueTask<RedisKey> CreateAsync(IDatabase database, string prefix = DefaultPrefix, int tries = DefaultTries, CancellationToken cancellationToken = default) =>
        CreateAsync(database, prefix, tries, Suffix, cancellationToken);

    /// <summary>Finds a random key name that does not exist yet; <paramref name="suffix"/> draws the random part.</summary>
    internal static async ValueTask<RedisKey> CreateAsync(IDatabase database, string prefix, int tries, Func<string> suffix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(tries, 1);
        for (var attempt = 0; attempt < tries; attempt++)
        {
            RedisKey candidate = prefix + suffix();
            if (!await RedisCall.Async(database, candidate, RedisType.None, 0, static (d, k, _) => d.KeyExistsAsync(k), static (exists, _, _) => exists, cancellationToken).ConfigureAwait(false))
            {
                return candidate;
            }
        }

        throw Exhausted(prefix, tries);
    }

    /// <summary>A random suffix of letters and digits (about 95 bits).</summary>
    internal static string Suffix() => RandomNumberGenerator.GetString(Alphabet, SuffixLength);

    private static RandomKeyException Exhausted(string prefix, int tries) =>
        new($"Could not find an unused random key with prefix '{prefix}' in {tries} tries; the keyspace under that prefix is unexpectedly crowded.");
}

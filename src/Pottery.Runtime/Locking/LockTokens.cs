using System.Security.Cryptography;

namespace Pottery;

/// <summary>
/// Random acquisition tokens: 16 bytes from the cryptographic generator, as hex. Each thread draws
/// them from a buffer it refills every <see cref="TokensPerRefill"/> tokens, since a call into the
/// generator costs far more than the bytes themselves and a lock cycle needs only one token.
/// </summary>
internal static class LockTokens
{
    private const int TokenBytes = 16;
    private const int TokensPerRefill = 32;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_next;

    /// <summary>A fresh token.</summary>
    /// <returns>32 hexadecimal characters.</returns>
    public static string Next()
    {
        var buffer = t_buffer ??= new byte[TokenBytes * TokensPerRefill];
        if (t_next == 0)
        {
            RandomNumberGenerator.Fill(buffer);
        }

        var token = Convert.ToHexString(buffer, t_next * TokenBytes, TokenBytes);
        t_next = (t_next + 1) % TokensPerRefill;
        return token;
    }
}

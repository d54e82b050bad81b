using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A Lua script: its source and its SHA1. On one server it runs through StackExchange.Redis' own
/// script cache (<see cref="RedisCall.Script(IDatabase, RedisKey, RedisType, RedisScript, RedisKey[], RedisValue[], CancellationToken)"/>);
/// only the multi-master rounds send it by SHA1 themselves and resend it to a master that lost it
/// (<c>NOSCRIPT</c>), since they decide per master without waiting for the slowest. Scripts take
/// every key through <c>KEYS</c> and all user data through <c>ARGV</c>, so they run on Redis
/// Cluster and never splice user data into Lua source.
/// </summary>
internal sealed class RedisScript
{
    private readonly byte[] _hash;

    /// <summary>Creates a script.</summary>
    /// <param name="source">The Lua source.</param>
    public RedisScript(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        Source = source;
#pragma warning disable CA5350 // SHA1 is what EVALSHA names scripts by; it is an identifier here, not a security measure.
        _hash = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350
    }

    /// <summary>The Lua source.</summary>
    public string Source { get; }

    /// <summary>The SHA1 of the source, as <c>EVALSHA</c> takes it.</summary>
    public ReadOnlyMemory<byte> Hash => _hash;

    /// <summary>Sends the script by its SHA1 only: a caller that awaits several calls together resends the lost ones with <see cref="Resend"/>.</summary>
    internal Task<RedisResult> Send(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluateAsync(_hash, keys, values);

    /// <summary>Sends the script in full, for a call that <see cref="Lost"/> says the server no longer knew.</summary>
    internal Task<RedisResult> Resend(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluateAsync(Source, keys, values);

    /// <summary>Loads the script into the server's cache without running it or waiting for the reply.</summary>
    internal void Load(IDatabaseAsync database)
    {
        try
        {
            database.ExecuteAsync("SCRIPT", ["LOAD", Source], CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // A server that cannot be reached is sent the script in full when it next answers NOSCRIPT.
        }
    }

    /// <summary>Whether a call from <see cref="Send"/> failed because the server did not know the script.</summary>
    internal static bool Lost(Task call) =>
        call.IsFaulted && call.Exception.InnerException is RedisServerException error && IsNoScript(error);

    private static bool IsNoScript(RedisServerException error) =>
        error.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);
}

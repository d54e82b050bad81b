namespace Pottery.Testing.Redis;

/// <summary>Thrown when no <c>redis-server</c> executable can be found; the message says how to install one.</summary>
public sealed class RedisServerNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="searched">Where the executable was looked for.</param>
    public RedisServerNotFoundException(string searched)
        : this("redis-server", searched)
    {
    }

    /// <summary>Creates the exception for one of Redis' programs.</summary>
    /// <param name="program">The program, <c>redis-server</c> or <c>redis-cli</c>.</param>
    /// <param name="searched">Where the executable was looked for.</param>
    public RedisServerNotFoundException(string program, string searched)
        : base(
            $"{program} was not found ({searched}). Pottery's tests run against real Redis servers. " +
            "Install it with 'sudo apt-get install redis-server' (Debian/Ubuntu; 'bash .ci/run' does this for you), " +
            "'brew install redis' (macOS), or point REDIS_SERVER_PATH at a redis-server executable.")
    {
    }
}

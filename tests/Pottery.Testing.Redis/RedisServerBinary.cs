namespace Pottery.Testing.Redis;

/// <summary>Locates the <c>redis-server</c> executable: <c>REDIS_SERVER_PATH</c> if set, else the <c>PATH</c>.</summary>
public static class RedisServerBinary
{
    /// <summary>The environment variable that names a specific redis-server executable.</summary>
    public const string PathVariable = "REDIS_SERVER_PATH";

    /// <summary>Finds the executable.</summary>
    /// <returns>Its full path.</returns>
    /// <exception cref="RedisServerNotFoundException">There is none.</exception>
    public static string Find() => Find(Environment.GetEnvironmentVariable(PathVariable), Environment.GetEnvironmentVariable("PATH"));

    /// <summary>Finds <c>redis-cli</c>: next to the redis-server that <see cref="Find()"/> finds, else on the <c>PATH</c>.</summary>
    /// <returns>Its full path.</returns>
    /// <exception cref="RedisServerNotFoundException">There is none.</exception>
    public static string FindCli()
    {
        var beside = Path.Combine(Path.GetDirectoryName(Find()) ?? string.Empty, "redis-cli");
        if (File.Exists(beside))
        {
            return beside;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "redis-cli");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new RedisServerNotFoundException("redis-cli", "neither next to redis-server nor on PATH; the cluster tests need it to form a cluster");
    }

    /// <summary>Finds the executable given an explicit path and a search path.</summary>
    /// <param name="explicitPath">A path that must be used if not empty.</param>
    /// <param name="searchPath">Directories separated by the platform's path separator.</param>
    /// <returns>Its full path.</returns>
    /// <exception cref="RedisServerNotFoundException">There is none.</exception>
    public static string Find(string? explicitPath, string? searchPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath)
                ? explicitPath
                : throw new RedisServerNotFoundException($"{PathVariable}={explicitPath} does not exist");
        }

        foreach (var directory in (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new RedisServerNotFoundException("not on PATH, and REDIS_SERVER_PATH is not set");
    }
}

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

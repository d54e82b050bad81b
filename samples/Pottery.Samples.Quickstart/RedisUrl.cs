using System.Globalization;
using StackExchange.Redis;

namespace Pottery.Samples.Quickstart;

/// <summary>Reads <c>REDIS_URL</c> the way redis-py's <c>Redis.from_url</c> does, or a StackExchange.Redis configuration string.</summary>
internal static class RedisUrl
{
    public static ConfigurationOptions Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            return ConfigurationOptions.Parse(value);
        }

        var options = new ConfigurationOptions
        {
            EndPoints = { { uri.Host, uri.IsDefaultPort ? 6379 : uri.Port } },
            Ssl = uri.Scheme == "rediss",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            options.User = parts.Length == 2 && parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
            options.Password = Uri.UnescapeDataString(parts[^1]);
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            options.DefaultDatabase = int.Parse(path, CultureInfo.InvariantCulture);
        }

        return options;
    }
}

using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// Client options for test servers. Commands fail at once while a server is down instead of
/// waiting in StackExchange.Redis' backlog, so fault tests do not wait for timeouts, and the client
/// reconnects within a fraction of a second after a restart, not seconds.
/// </summary>
public static class TestClientOptions
{
    /// <summary>Fresh options for <paramref name="endpoints"/>, which the caller may change.</summary>
    /// <param name="endpoints">The servers' endpoints.</param>
    /// <returns>The options.</returns>
    public static ConfigurationOptions For(IEnumerable<string> endpoints)
    {
        var options = new ConfigurationOptions
        {
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = 5000,
            SyncTimeout = 5000,
            AsyncTimeout = 5000,
            ConnectRetry = 3,
            BacklogPolicy = BacklogPolicy.FailFast,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            ReconnectRetryPolicy = new LinearRetry(100),
        };
        foreach (var endpoint in endpoints)
        {
            options.EndPoints.Add(endpoint);
        }

        return options;
    }
}

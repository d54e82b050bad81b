using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Pottery;

/// <summary>
/// The connections behind <see cref="PotteryRedis"/>, made once, when first needed (a container
/// singleton); disposed with the container, but only those Pottery made.
/// </summary>
internal sealed class PotteryConnections : IAsyncDisposable, IDisposable
{
    private readonly IReadOnlyList<ConnectionMultiplexer> _owned;

    private PotteryConnections(PotteryRedis redis, IReadOnlyList<ConnectionMultiplexer> owned)
    {
        Redis = redis;
        _owned = owned;
    }

    public PotteryRedis Redis { get; }

    /// <summary>Connects as <paramref name="options"/> say, or takes the container's connection.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="services">The container, for a registered <c>IConnectionMultiplexer</c>.</param>
    /// <returns>The connections.</returns>
    /// <exception cref="InvalidOperationException">There is neither a connection string nor a registered connection.</exception>
    /// <exception cref="RedisConnectionException">A connection string says <c>abortConnect=true</c> and its server could not be reached.</exception>
    public static PotteryConnections Open(PotteryOptions options, IServiceProvider services)
    {
        var owned = new List<ConnectionMultiplexer>();
        try
        {
            var connection = string.IsNullOrWhiteSpace(options.ConnectionString)
                ? services.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(PotteryOptionsValidator.NoConnection)
                : Connect(options.ConnectionString, owned);
            var database = Prefixed(connection.GetDatabase(options.Database ?? -1), options.KeyPrefix);
            var masters = new List<IDatabase>(1 + options.LockMasters.Count) { database };
            foreach (var master in options.LockMasters)
            {
                masters.Add(Prefixed(Connect(master, owned).GetDatabase(), options.KeyPrefix));
            }

            // Pottery's structures are made with `new` all over an app, so their log events go to the one process-wide factory.
            if (services.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                PotteryTelemetry.UseLoggerFactory(loggerFactory);
            }

            return new PotteryConnections(new PotteryRedis(connection, database, masters, options), owned);
        }
        catch
        {
            foreach (var made in owned)
            {
                made.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var connection in _owned)
        {
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _owned)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Parsed once; the options object then travels with the connection (dedicated connections clone it).
    private static ConnectionMultiplexer Connect(string configuration, List<ConnectionMultiplexer> owned)
    {
        var options = ConfigurationOptions.Parse(configuration);
        if (configuration.IndexOf("abortConnect", StringComparison.OrdinalIgnoreCase) < 0)
        {
            // A host starts while Redis (or one lock master) is down and reports it through its health checks.
            options.AbortOnConnectFail = false;
        }

        var connection = ConnectionMultiplexer.Connect(options);
        owned.Add(connection);
        return connection;
    }

    private static IDatabase Prefixed(IDatabase database, string? prefix) =>
        string.IsNullOrEmpty(prefix) ? database : database.WithKeyPrefix(prefix);
}

using Pottery;
using Pottery.Samples.Quickstart;
using Pottery.Testing.Redis;
using StackExchange.Redis;

// Pottery's Quickstart: a short printed tour against a real Redis. Uses REDIS_URL when it is
// set (redis://host:port/db); otherwise starts a throwaway redis-server and stops it at the end.
var url = Environment.GetEnvironmentVariable("REDIS_URL");
RedisServer? local = null;
ConfigurationOptions options;
if (string.IsNullOrWhiteSpace(url))
{
    local = await RedisServer.StartAsync();
    options = local.Options();
    Console.WriteLine($"Started a throwaway redis-server on {local.Endpoint} (set REDIS_URL to use your own).");
}
else
{
    options = RedisUrl.Parse(url);
    Console.WriteLine($"Using REDIS_URL={url}.");
}

try
{
    await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
    await Tour.RunAsync(connection.GetDatabase());
}
finally
{
    local?.Dispose();
}

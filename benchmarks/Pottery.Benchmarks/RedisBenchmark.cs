using BenchmarkDotNet.Attributes;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Benchmarks;

/// <summary>A throwaway redis-server per benchmark class, so every number is against a real server on loopback.</summary>
[MemoryDiagnoser]
public abstract class RedisBenchmark
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    /// <summary>Database 0 of the benchmark's server.</summary>
    protected IDatabase Db => _connection!.GetDatabase();

    [GlobalSetup]
    public async Task StartRedis()
    {
        _server = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_server.Options());
        await Setup();
    }

    [GlobalCleanup]
    public async Task StopRedis()
    {
        await _connection!.DisposeAsync();
        _server!.Dispose();
    }

    /// <summary>Creates what the benchmarks use.</summary>
    protected abstract Task Setup();
}

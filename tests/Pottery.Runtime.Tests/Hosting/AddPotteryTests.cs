using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Hosting;

/// <summary>
/// AddPottery: options bound from the "Pottery" configuration section and checked at start, the
/// connection reused or made (and disposed only when made), the key prefix and database applied.
/// </summary>
public sealed class AddPotteryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Options_bind_from_the_Pottery_configuration_section_and_the_code_has_the_last_word()
    {
        var services = HostingSetup.Services(
            ("Pottery:ConnectionString", redis.Endpoint),
            ("Pottery:KeyPrefix", "shop:"),
            ("Pottery:Database", "3"),
            ("Pottery:LockMasters:0", "127.0.0.1:1"),
            ("Pottery:LockMasters:1", "127.0.0.1:2"),
            ("Pottery:LockAutoReleaseTime", "00:00:20"),
            ("Pottery:LockMaxExtensions", "7"),
            ("Pottery:QueueVisibilityTimeout", "00:02:00"),
            ("Pottery:CacheTimeout", "00:00:05"),
            ("Pottery:HealthCheckTimeout", "00:00:02"));
        services.AddPottery(o => o.LockMaxExtensions = 9);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PotteryOptions>>().Value;
        Assert.Equal(redis.Endpoint, options.ConnectionString);
        Assert.Equal("shop:", options.KeyPrefix);
        Assert.Equal(3, options.Database);
        Assert.Equal(["127.0.0.1:1", "127.0.0.1:2"], options.LockMasters);
        Assert.Equal(TimeSpan.FromSeconds(20), options.LockAutoReleaseTime);
        Assert.Equal(9, options.LockMaxExtensions);
        Assert.Equal(TimeSpan.FromMinutes(2), options.QueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CacheTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HealthCheckTimeout);
    }

    [Fact]
    public async Task Another_section_can_be_bound()
    {
        var services = HostingSetup.Services(("Redis:Pottery:KeyPrefix", "other:"), ("Redis:Pottery:ConnectionString", redis.Endpoint));
        services.AddPottery("Redis:Pottery");
        await using var provider = services.BuildServiceProvider();

        Assert.Equal("other:", provider.GetRequiredService<IOptions<PotteryOptions>>().Value.KeyPrefix);
    }

    [Fact]
    public async Task Calling_AddPottery_twice_binds_and_validates_once_and_applies_both_delegates()
    {
        var services = HostingSetup.Services(("Pottery:ConnectionString", redis.Endpoint), ("Pottery:Database", "-1"));
        services.AddPottery(o => o.KeyPrefix = "first:");
        services.AddPottery(o => o.Database = 1);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PotteryOptions>>().Value;
        Assert.Equal("first:", options.KeyPrefix);
        Assert.Equal(1, options.Database);
        Assert.Single(provider.GetServices<IValidateOptions<PotteryOptions>>());
        Assert.Same(provider.GetRequiredService<PotteryRedis>(), provider.GetRequiredService<PotteryRedis>());
    }

    [Fact]
    public async Task The_key_prefix_and_database_number_are_applied_to_what_Pottery_writes()
    {
        var key = TestKeys.Unique("queue").ToString();
        var services = HostingSetup.Services(
            ("Pottery:ConnectionString", redis.Endpoint),
            ("Pottery:KeyPrefix", "tenant1:"),
            ("Pottery:Database", "2"));
        services.AddPottery().AddQueue<string>(key);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<RedisQueue<string>>(key).EnqueueAsync("job");

        var database2 = redis.Connection.GetDatabase(2);
        Assert.Equal(1, await database2.ListLengthAsync("tenant1:" + key));
        Assert.False(await database2.KeyExistsAsync(key));
        Assert.False(await redis.Database.KeyExistsAsync("tenant1:" + key));
        Assert.Same(provider.GetRequiredService<PotteryRedis>().Database, provider.GetRequiredService<IDatabase>());
    }

    [Fact]
    public async Task A_registered_connection_is_reused_and_left_open_when_the_container_is_disposed()
    {
        var services = HostingSetup.Services();
        services.AddSingleton<IConnectionMultiplexer>(redis.Connection);
        services.AddPottery();
        var provider = services.BuildServiceProvider();

        var pottery = provider.GetRequiredService<PotteryRedis>();
        Assert.Same(redis.Connection, pottery.Connection);
        Assert.Same(pottery, provider.GetRequiredService<PotteryRedis>());
        await provider.DisposeAsync();

        Assert.True(redis.Connection.IsConnected);
        Assert.True((await redis.Database.PingAsync()) >= TimeSpan.Zero);
    }

    [Fact]
    public async Task A_connection_string_makes_one_connection_of_Pottery_s_own_closed_with_the_container()
    {
        var services = HostingSetup.Services(("Pottery:ConnectionString", redis.Endpoint));
        services.AddSingleton<IConnectionMultiplexer>(redis.Connection);
        services.AddPottery();
        var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<PotteryRedis>().Connection;
        Assert.NotSame(redis.Connection, connection);
        Assert.Same(connection, provider.GetRequiredService<PotteryRedis>().Connection);
        Assert.True(connection.IsConnected);
        await provider.DisposeAsync();

        Assert.False(connection.IsConnected);
        Assert.True(redis.Connection.IsConnected);
    }

    [Fact]
    public async Task Lock_masters_are_the_main_database_then_one_per_configured_master()
    {
        await using var second = await RedisServer.StartAsync();
        var services = HostingSetup.Services(
            ("Pottery:ConnectionString", redis.Endpoint),
            ("Pottery:LockMasters:0", second.Endpoint),
            ("Pottery:KeyPrefix", "p:"));
        services.AddPottery().AddLock("orders");
        await using var provider = services.BuildServiceProvider();

        var pottery = provider.GetRequiredService<PotteryRedis>();
        Assert.Equal(2, pottery.LockMasters.Count);
        Assert.Same(pottery.Database, pottery.LockMasters[0]);
        Assert.Equal(2, pottery.Quorum);

        var redlock = provider.GetRequiredKeyedService<Redlock>("orders");
        await using (await redlock.AcquireAsync())
        {
            await using var secondConnection = await second.ConnectAsync();
            Assert.True(await redis.Database.KeyExistsAsync("p:redlock:orders"));
            Assert.True(await secondConnection.GetDatabase().KeyExistsAsync("p:redlock:orders"));
        }
    }

    [Fact]
    public async Task An_application_s_own_IDatabase_registered_first_is_kept()
    {
        var own = redis.Connection.GetDatabase(5);
        var services = HostingSetup.Services(("Pottery:ConnectionString", redis.Endpoint));
        services.AddSingleton(own);
        services.AddPottery();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService<IDatabase>());
        Assert.NotSame(own, provider.GetRequiredService<PotteryRedis>().Database);
    }

    [Fact]
    public async Task Without_a_connection_string_or_a_registered_connection_the_options_say_what_to_do()
    {
        var services = HostingSetup.Services();
        services.AddPottery();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PotteryOptions>>().Value);
        Assert.Contains("Pottery has no Redis connection: set Pottery:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddRedisClient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_invalid_setting_is_named_in_one_failure()
    {
        var services = HostingSetup.Services(
            ("Pottery:ConnectionString", "localhost:6379,nosuchoption=1"),
            ("Pottery:LockMasters:0", " "),
            ("Pottery:Database", "-1"),
            ("Pottery:LockAutoReleaseTime", "00:00:00.001"),
            ("Pottery:LockMaxExtensions", "-2"),
            ("Pottery:QueueVisibilityTimeout", "00:00:00"),
            ("Pottery:CacheTimeout", "-00:00:05"),
            ("Pottery:HealthCheckTimeout", "00:00:00"));
        services.AddPottery();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PotteryOptions>>().Value);
        Assert.Equal(8, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:ConnectionString is not a valid StackExchange.Redis configuration string", StringComparison.Ordinal) && f.Contains("nosuchoption", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:LockMasters:0 is empty", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:Database is -1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:LockAutoReleaseTime is 00:00:00.0010000", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:LockMaxExtensions is -2", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:QueueVisibilityTimeout is 00:00:00", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:CacheTimeout is -00:00:05", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Pottery:HealthCheckTimeout is 00:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_with_invalid_options_fails_to_start_before_anything_connects()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Pottery:ConnectionString", redis.Endpoint), new("Pottery:Database", "-4")]);
        builder.Services.AddPottery();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Pottery:Database is -4", error.Message, StringComparison.Ordinal);
    }
}

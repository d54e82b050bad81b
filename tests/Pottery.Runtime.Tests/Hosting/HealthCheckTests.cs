using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Hosting;

/// <summary>
/// The Redis and lock-quorum health checks against three real masters, some frozen (SIGSTOP) or
/// killed. Each test starts its own masters, since it harms them.
/// </summary>
public sealed class HealthCheckTests
{
    private const string RedisCheck = "pottery-redis";
    private const string QuorumCheck = "pottery-lock-quorum";

    [Fact]
    public async Task With_every_master_answering_both_checks_are_healthy()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        await using var provider = Provider(masters);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries[RedisCheck].Status);
        Assert.StartsWith("Redis answered PING in ", report.Entries[RedisCheck].Description, StringComparison.Ordinal);
        var quorum = report.Entries[QuorumCheck];
        Assert.Equal(HealthStatus.Healthy, quorum.Status);
        Assert.Equal("3 of 3 lock masters answered PING (quorum 2).", quorum.Description);
        Assert.Equal(3, quorum.Data["answered"]);
    }

    [Fact]
    public async Task With_one_of_three_masters_frozen_the_quorum_check_is_degraded_and_names_it()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        await using var provider = Provider(masters);
        var checks = provider.GetRequiredService<HealthCheckService>();
        await checks.CheckHealthAsync();

        using (masters.Pause(2))
        {
            var report = await checks.CheckHealthAsync();

            Assert.Equal(HealthStatus.Healthy, report.Entries[RedisCheck].Status);
            var quorum = report.Entries[QuorumCheck];
            Assert.Equal(HealthStatus.Degraded, quorum.Status);
            Assert.StartsWith("2 of 3 lock masters answered PING (quorum 2): master 2 (", quorum.Description, StringComparison.Ordinal);
            Assert.Contains(masters.Servers[2].Endpoint, quorum.Description, StringComparison.Ordinal);
            Assert.Contains("did not answer PING within 500 ms", quorum.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_two_of_three_masters_frozen_the_quorum_check_is_unhealthy()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        await using var provider = Provider(masters);
        var checks = provider.GetRequiredService<HealthCheckService>();
        await checks.CheckHealthAsync();

        using (masters.Pause(1, 2))
        {
            var report = await checks.CheckHealthAsync();

            var quorum = report.Entries[QuorumCheck];
            Assert.Equal(HealthStatus.Unhealthy, quorum.Status);
            Assert.StartsWith("1 of 3 lock masters answered PING (quorum 2): master 1 (", quorum.Description, StringComparison.Ordinal);
            Assert.Equal(HealthStatus.Unhealthy, report.Status);
        }
    }

    [Fact]
    public async Task With_the_main_server_frozen_the_Redis_check_is_unhealthy_with_the_reason()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        await using var provider = Provider(masters);
        var checks = provider.GetRequiredService<HealthCheckService>();
        await checks.CheckHealthAsync();

        using (masters.Pause(0))
        {
            var report = await checks.CheckHealthAsync();

            Assert.Equal(HealthStatus.Unhealthy, report.Entries[RedisCheck].Status);
            Assert.Equal("Redis did not answer PING within 500 ms", report.Entries[RedisCheck].Description);
            Assert.Equal(HealthStatus.Degraded, report.Entries[QuorumCheck].Status);
        }
    }

    [Fact]
    public async Task With_the_main_server_killed_the_Redis_check_is_unhealthy()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        await using var provider = Provider(masters);
        var checks = provider.GetRequiredService<HealthCheckService>();
        await checks.CheckHealthAsync();

        masters.Servers[0].Kill();
        var report = await checks.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[RedisCheck].Status);
        Assert.StartsWith("Redis ", report.Entries[RedisCheck].Description, StringComparison.Ordinal);
        Assert.NotNull(report.Entries[RedisCheck].Exception);
    }

    [Fact]
    public async Task When_Pottery_cannot_connect_the_checks_say_so_instead_of_throwing()
    {
        await using var server = await RedisServer.StartAsync();
        var endpoint = server.Endpoint;
        server.Kill();
        var services = HostingSetup.Services(("Pottery:ConnectionString", endpoint + ",abortConnect=true,connectTimeout=500,connectRetry=1"));
        services.AddLogging();
        services.AddPottery();
        services.AddHealthChecks().AddPotteryRedis().AddPotteryLockQuorum(failureStatus: HealthStatus.Degraded);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[RedisCheck].Status);
        Assert.StartsWith("Pottery could not connect to Redis: ", report.Entries[RedisCheck].Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, report.Entries[QuorumCheck].Status);
        Assert.StartsWith("Pottery could not connect to its lock masters: ", report.Entries[QuorumCheck].Description, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(RedisMasters masters)
    {
        var services = HostingSetup.Services(
            ("Pottery:ConnectionString", masters.Servers[0].Endpoint),
            ("Pottery:LockMasters:0", masters.Servers[1].Endpoint),
            ("Pottery:LockMasters:1", masters.Servers[2].Endpoint),
            ("Pottery:HealthCheckTimeout", "00:00:00.500"));
        services.AddLogging();
        services.AddPottery();
        services.AddHealthChecks().AddPotteryRedis().AddPotteryLockQuorum();
        return services.BuildServiceProvider();
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pottery.Runtime.Tests.Hosting;

/// <summary>A container with an in-memory configuration, as a host would make it.</summary>
internal static class HostingSetup
{
    public static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    /// <summary>Services with <paramref name="settings"/> as their configuration.</summary>
    public static ServiceCollection Services(params (string Key, string? Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(settings));
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pottery;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Pottery to a host's services.</summary>
public static class PotteryServiceCollectionExtensions
{
    /// <summary>
    /// Adds Pottery: <see cref="PotteryOptions"/> bound from the configuration section <c>Pottery</c> and
    /// checked when the host starts, <see cref="PotteryRedis"/> (connected once, when first resolved),
    /// and <see cref="IDatabase"/> (Pottery's database, unless one is registered already).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options after configuration is bound.</param>
    /// <returns>A builder to register queues, locks and other primitives with.</returns>
    /// <remarks>See <see cref="AddPottery(IServiceCollection, string, Action{PotteryOptions}?)"/>.</remarks>
    public static IPotteryBuilder AddPottery(this IServiceCollection services, Action<PotteryOptions>? configure = null) =>
        services.AddPottery(PotteryOptions.SectionName, configure);

    /// <summary>
    /// Adds Pottery with options bound from the configuration section <paramref name="configurationSection"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configurationSection">The configuration section to bind <see cref="PotteryOptions"/> from, such as <c>Pottery</c>.</param>
    /// <param name="configure">Changes the options after configuration is bound.</param>
    /// <returns>A builder to register queues, locks and other primitives with.</returns>
    /// <remarks>
    /// <para>Pottery connects from <see cref="PotteryOptions.ConnectionString"/> when it is set (and
    /// disposes that connection with the container), else it uses the <see cref="IConnectionMultiplexer"/>
    /// registered in the container (Aspire's <c>AddRedisClient</c>, say) and leaves it to its owner.</para>
    /// <para><see cref="IDatabase"/> is added only when no <see cref="IDatabase"/> is registered yet: a
    /// registration of the application's own made after <c>AddPottery</c> replaces it for single
    /// resolution, and both are then in <c>IEnumerable&lt;IDatabase&gt;</c>. Lock masters come from
    /// <see cref="PotteryRedis.LockMasters"/>, never from <c>IEnumerable&lt;IDatabase&gt;</c>.</para>
    /// <para>Calling it again adds <paramref name="configure"/> only; the first call's section is the one bound.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="configurationSection"/> is empty.</exception>
    public static IPotteryBuilder AddPottery(this IServiceCollection services, string configurationSection, Action<PotteryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(configurationSection);
        var options = services.AddOptions<PotteryOptions>();

        // A second call (from a library, say) adds its configure delegate, not a second binding and validation.
        var first = !services.Any(descriptor => descriptor.ServiceType == typeof(PotteryConnections));
        if (first)
        {
            services.AddSingleton<IConfigureOptions<PotteryOptions>>(sp => new PotteryOptionsSetup(sp.GetService<IConfiguration>(), configurationSection));
            services.AddSingleton<IValidateOptions<PotteryOptions>>(sp => new PotteryOptionsValidator(sp.GetService<IServiceProviderIsService>(), configurationSection));
            options.ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => PotteryConnections.Open(sp.GetRequiredService<IOptions<PotteryOptions>>().Value, sp));
        services.TryAddSingleton(sp => sp.GetRequiredService<PotteryConnections>().Redis);
        services.TryAddSingleton(sp => sp.GetRequiredService<PotteryRedis>().Database);
        return new PotteryBuilder(services);
    }
}

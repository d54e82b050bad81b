using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Pottery;

/// <summary>Checks <see cref="PotteryOptions"/> when the host starts, with messages that name the setting to change.</summary>
internal sealed class PotteryOptionsValidator(IServiceProviderIsService? registered, string section) : IValidateOptions<PotteryOptions>
{
    public const string NoConnection =
        "Pottery has no Redis connection: set Pottery:ConnectionString (or PotteryOptions.ConnectionString), " +
        "or register an IConnectionMultiplexer (e.g. with Aspire's AddRedisClient) in the container.";

    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);

    public ValidateOptionsResult Validate(string? name, PotteryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (registered is not null && !registered.IsService(typeof(IConnectionMultiplexer)))
            {
                problems.Add(NoConnection);
            }
        }
        else
        {
            CheckConfiguration($"{section}:ConnectionString", options.ConnectionString, problems);
        }

        for (var i = 0; i < options.LockMasters.Count; i++)
        {
            CheckConfiguration($"{section}:LockMasters:{i.ToString(CultureInfo.InvariantCulture)}", options.LockMasters[i], problems);
        }

        if (options.Database is < 0)
        {
            problems.Add($"{section}:Database is {options.Database.Value.ToString(CultureInfo.InvariantCulture)}; a database number is 0 or more.");
        }

        if (options.LockAutoReleaseTime <= Redlock.DriftOf(options.LockAutoReleaseTime) || options.LockAutoReleaseTime > Longest)
        {
            problems.Add($"{section}:LockAutoReleaseTime is {options.LockAutoReleaseTime}; it must exceed the clock drift allowance (1% of it plus 2 ms) and be at most int.MaxValue milliseconds.");
        }

        if (options.LockMaxExtensions < 0)
        {
            problems.Add($"{section}:LockMaxExtensions is {options.LockMaxExtensions.ToString(CultureInfo.InvariantCulture)}; it must be 0 or more.");
        }

        if (options.QueueVisibilityTimeout.TotalMilliseconds < 1 || options.QueueVisibilityTimeout > Longest)
        {
            problems.Add($"{section}:QueueVisibilityTimeout is {options.QueueVisibilityTimeout}; it must be at least 1 ms and at most int.MaxValue milliseconds.");
        }

        if (options.CacheTimeout <= TimeSpan.Zero && options.CacheTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{section}:CacheTimeout is {options.CacheTimeout}; it must be positive, or Timeout.InfiniteTimeSpan (-00:00:00.001) for none.");
        }

        if (options.HealthCheckTimeout <= TimeSpan.Zero || options.HealthCheckTimeout > Longest)
        {
            problems.Add($"{section}:HealthCheckTimeout is {options.HealthCheckTimeout}; it must be positive and at most int.MaxValue milliseconds.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckConfiguration(string setting, string configuration, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            problems.Add($"{setting} is empty; give a StackExchange.Redis configuration string such as 'localhost:6379'.");
            return;
        }

        try
        {
            if (ConfigurationOptions.Parse(configuration).EndPoints.Count == 0)
            {
                problems.Add($"{setting} names no server; give at least one host:port.");
            }
        }
        catch (ArgumentException error)
        {
            problems.Add($"{setting} is not a valid StackExchange.Redis configuration string: {error.Message}");
        }
    }
}

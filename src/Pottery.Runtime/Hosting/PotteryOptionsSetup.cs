using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Pottery;

/// <summary>Binds <see cref="PotteryOptions"/> from a configuration section, when the container has a configuration (the binding is source-generated, so AOT-safe).</summary>
internal sealed class PotteryOptionsSetup(IConfiguration? configuration, string sectionName) : IConfigureOptions<PotteryOptions>
{
    public void Configure(PotteryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        configuration?.GetSection(sectionName).Bind(options);
    }
}

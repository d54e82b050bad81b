using Microsoft.Extensions.DependencyInjection;

namespace Pottery;

/// <summary>The one <see cref="IPotteryBuilder"/>.</summary>
internal sealed class PotteryBuilder(IServiceCollection services) : IPotteryBuilder
{
    public IServiceCollection Services { get; } = services;
}

using Microsoft.Extensions.DependencyInjection;

namespace Pottery;

/// <summary>What <c>AddPottery</c> returns: the service collection, for registering Pottery's primitives (queues, locks, ID generators, Bloom filters, memoized functions, generated classes) on it.</summary>
public interface IPotteryBuilder
{
    /// <summary>The service collection Pottery was added to.</summary>
    IServiceCollection Services { get; }
}

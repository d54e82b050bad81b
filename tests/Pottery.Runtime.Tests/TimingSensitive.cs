namespace Pottery.Runtime.Tests;

/// <summary>
/// Tests that measure how close to its deadline a call returns run alone, after or before the others:
/// the suites on the cluster and on Garnet, running beside them, would starve the thread pool and make
/// a deadline look late.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Deadline measurements, run alone";
}

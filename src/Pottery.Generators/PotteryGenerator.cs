using Microsoft.CodeAnalysis;

namespace Pottery.Generators;

/// <summary>
/// The entry point Roslyn loads. Each Pottery attribute gets its own pipeline
/// (find → model → emit); none are wired yet, so the generator adds no source.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PotteryGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}

using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Api;

/// <summary>Generated code is clean under the SDK's own analyzers with every rule on (AnalysisMode=All).</summary>
public sealed class AnalyzersTests
{
    [Fact]
    public async Task A_generated_bloom_class_triggers_no_CA_rule()
    {
        var (_, output, compile) = GeneratorHarness.Run("""
            namespace Shop;

            [Pottery.RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)]
            public partial class Seen;

            [Pottery.RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)]
            public sealed partial class SealedSeen;
            """);
        Assert.Empty(compile);

        var found = await SdkAnalyzerDiagnostics(output);

        // Assembly-level rules (CA1014, CA1016) are the test assembly's, not the generated code's.
        Assert.Empty(found.Where(d => d.Id.StartsWith("CA", StringComparison.Ordinal) && d.Location.IsInSource).Select(d => d.ToString()));
    }

    private static async Task<ImmutableArray<Diagnostic>> SdkAnalyzerDiagnostics(Compilation compilation)
    {
        var analyzers = new AnalyzerFileReference(NetAnalyzers("Microsoft.CodeAnalysis.NetAnalyzers.dll"), Loader.Instance).GetAnalyzers(LanguageNames.CSharp)
            .Concat(new AnalyzerFileReference(NetAnalyzers("Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll"), Loader.Instance).GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();
        Assert.NotEmpty(analyzers);

        // AnalysisMode=All: every CA rule a warning.
        var all = analyzers.SelectMany(a => a.SupportedDiagnostics).Where(d => d.Id.StartsWith("CA", StringComparison.Ordinal)).Select(d => d.Id).Distinct()
            .ToImmutableDictionary(id => id, _ => ReportDiagnostic.Warn);
        var options = compilation.Options.WithSpecificDiagnosticOptions(compilation.Options.SpecificDiagnosticOptions.SetItems(all));
        return await compilation.WithOptions(options).WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
    }

    private static string NetAnalyzers(string file)
    {
        var packs = typeof(AnalyzersTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NetCoreTargetingPackRoot").Value!;
        var sdks = Directory.GetDirectories(Path.Combine(packs, "..", "sdk"))
            .Select(directory => Path.Combine(directory, "Sdks", "Microsoft.NET.Sdk", "analyzers", file))
            .Where(File.Exists)
            .OrderByDescending(path => path, StringComparer.Ordinal)
            .ToArray();
        return sdks.Length > 0 ? sdks[0] : throw new InvalidOperationException($"No {file} in an SDK under {Path.Combine(packs, "..", "sdk")}.");
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public static readonly Loader Instance = new();

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}

using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Api;

/// <summary>
/// A compiler loads a generator only if it is at least as new as the Roslyn the generator was built
/// against: the generator must ask for no more than Roslyn 4.8, the compiler of the first .NET 8 SDK band.
/// </summary>
public sealed class CompilerVersionTests
{
    [Fact]
    public void The_generator_asks_for_no_newer_roslyn_than_the_net8_sdks_compiler()
    {
        var generator = typeof(PotteryGenerator).Assembly.Location;
        using var file = File.OpenRead(generator);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var roslyn = metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Where(reference => metadata.GetString(reference.Name).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .Select(reference => (Name: metadata.GetString(reference.Name), reference.Version))
            .ToArray();

        Assert.NotEmpty(roslyn);
        Assert.All(roslyn, reference => Assert.True(reference.Version <= new Version(4, 8, 0, 0), $"{reference.Name} {reference.Version} is newer than Roslyn 4.8"));
    }

    [Fact]
    public void Synchronize_bloom_and_typed_dict_classes_compile_as_CSharp_12_the_net8_sdks_language()
    {
        var (run, _, compile) = GeneratorHarness.Run(new CSharpParseOptions(LanguageVersion.CSharp12), """
            using System.Threading;
            using System.Threading.Tasks;
            using StackExchange.Redis;

            namespace Shop;

            [Pottery.RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)]
            public partial class Seen;

            [Pottery.RedisDict<string, int>]
            public partial class Tel;

            public partial class Billing(IDatabase redis)
            {
                private readonly IDatabase _redis = redis;

                [Pottery.Synchronize("billing:{user}")]
                private Task<string> ChargeCore(string user, int cents, CancellationToken cancellationToken) => Task.FromResult(user);
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.NotEmpty(run.GeneratedSources);
        Assert.Empty(compile.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
    }
}

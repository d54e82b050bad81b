using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Api;

/// <summary>A user project may build with GenerateDocumentationFile and warnings as errors, so every generated member has a valid XML doc.</summary>
public sealed class GeneratedDocsTests
{
    private const string Source = """
        using System.Threading;
        using System.Threading.Tasks;
        using Pottery;
        using StackExchange.Redis;

        namespace Shop;

        [RedisDict(KeyPrefix = "user", TimeToLiveSeconds = 60)]
        public partial class UserProfile
        {
            public partial string Name { get; set; }
            public partial int Visits { get; set; }
            public partial double? Score { get; set; }
            [RedisField("mail")] public partial string? Email { get; set; }
        }

        [RedisDict<string, long>]
        public partial class Tel;

        [RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)]
        public partial class Seen;

        public partial class Orders(IDatabase redis)
        {
            private readonly IDatabase _redis = redis;

            [Synchronize("orders:{id}")]
            private void ShipCore(int id) { }

            [Synchronize("orders:{id}")]
            private Task<int> CountCore(int id, CancellationToken cancellationToken) => Task.FromResult(id);
        }
        """;

    [Fact]
    public void Every_generated_member_has_an_XML_doc()
    {
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(Source, parse, path: "User.cs"));
        var driver = CSharpGeneratorDriver.Create([new PotteryGenerator().AsSourceGenerator()], parseOptions: parse);

        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Equal(5, output.SyntaxTrees.Count(tree => tree.FilePath != "User.cs"));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath != "User.cs"));
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Api;

/// <summary>A user project may build with GenerateDocumentationFile and warnings as errors: generated code adds no doc warning, and the user's own docs are the compiled ones.</summary>
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
    public void Generated_code_adds_no_doc_warning()
    {
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(Source, parse, path: "User.cs"));
        var driver = CSharpGeneratorDriver.Create([new PotteryGenerator().AsSourceGenerator()], parseOptions: parse);

        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Equal(5, output.SyntaxTrees.Count(tree => tree.FilePath != "User.cs"));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath != "User.cs"));
    }

    [Fact]
    public void A_users_own_docs_on_a_partial_property_and_a_synchronized_body_are_the_compiled_docs()
    {
        var output = Compile("""
            using Pottery;
            using StackExchange.Redis;

            namespace Shop;

            [RedisDict]
            public partial class Account
            {
                /// <summary>The holder's full name.</summary>
                public partial string Name { get; set; }

                public partial int Visits { get; set; }
            }

            public partial class Billing(IDatabase redis)
            {
                private readonly IDatabase _redis = redis;

                /// <summary>Charges the user once.</summary>
                /// <param name="user">Who pays.</param>
                [Synchronize("bill:{user}")]
                private void ChargeCore(string user) { }
            }
            """);

        var account = output.GetTypeByMetadataName("Shop.Account")!;
        Assert.Contains("The holder's full name.", Docs(account, "Name"), StringComparison.Ordinal);
        Assert.Contains("Field <c>Visits</c> of the hash", Docs(account, "Visits"), StringComparison.Ordinal);

        var charge = output.GetTypeByMetadataName("Shop.Billing")!.GetMembers("Charge").Single();
        var expanded = charge.GetDocumentationCommentXml(expandIncludes: true);
        Assert.Contains("<inheritdoc cref=\"M:Shop.Billing.ChargeCore(System.String)\"", expanded, StringComparison.Ordinal);
        Assert.Contains("while holding the Redlock", expanded, StringComparison.Ordinal);
    }

    [Fact]
    public void The_compiled_xml_doc_file_keeps_the_users_summary()
    {
        var output = Compile("""
            [Pottery.RedisDict]
            public partial class Account
            {
                /// <summary>The holder's full name.</summary>
                public partial string Name { get; set; }
            }
            """);
        using var xml = new MemoryStream();

        var emitted = output.Emit(new MemoryStream(), xmlDocumentationStream: xml);

        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var written = System.Text.Encoding.UTF8.GetString(xml.ToArray());
        Assert.Contains("<member name=\"P:Account.Name\">", written, StringComparison.Ordinal);
        Assert.Contains("The holder's full name.", written, StringComparison.Ordinal);
        Assert.DoesNotContain("Field <c>Name</c> of the hash", written, StringComparison.Ordinal);
    }

    private static Compilation Compile(string source)
    {
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, parse, path: "User.cs"));
        CSharpGeneratorDriver.Create([new PotteryGenerator().AsSourceGenerator()], parseOptions: parse).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        // CS1591 for the user's undocumented types only: a generated member missing docs would be in a generated file.
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && (d.Id != "CS1591" || d.Location.SourceTree?.FilePath != "User.cs")));
        return output;
    }

    private static string Docs(INamedTypeSymbol type, string member) => type.GetMembers(member).Single().GetDocumentationCommentXml() ?? string.Empty;
}

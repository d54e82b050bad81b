using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Incremental;

/// <summary>Every pipeline's models survive unrelated edits, so nothing is emitted again.</summary>
public sealed class IncrementalTests
{
    private const string Declarations = """
        using System.Threading.Tasks;
        using Pottery;
        using StackExchange.Redis;

        namespace Shop;

        [MessagePack.MessagePackObject] public sealed class Address { [MessagePack.Key(0)] public string Street { get; set; } = ""; }

        [RedisDict] public partial class Profile { public partial string Name { get; set; } public partial Address Home { get; set; } }
        [RedisDict<string, Address>] public partial class Tel;
        [RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)] public partial class Seen;
        public partial class Orders
        {
            private readonly IDatabase _redis = null!;
            [Synchronize("orders:{id}")] private Task ShipCore(int id) => Task.CompletedTask;
        }
        """;

    [Theory]
    [InlineData(PotteryGenerator.DictModels)]
    [InlineData(PotteryGenerator.TypedDictModels)]
    [InlineData(PotteryGenerator.BloomModels)]
    [InlineData(PotteryGenerator.SynchronizeModels)]
    public void Editing_a_method_body_elsewhere_regenerates_nothing(string step)
    {
        var compilation = GeneratorHarness.Compilation(Declarations, "namespace Shop; public class Other { public int M() => 1; }");
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("namespace Shop; public class Other { public int M() => 2; }", GeneratorHarness.ParseOptions, path: "User1.cs"));

        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var models = run.TrackedSteps[step].SelectMany(s => s.Outputs).ToArray();
        Assert.NotEmpty(models);
        Assert.All(models, output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_the_body_of_a_synchronized_method_regenerates_nothing()
    {
        var compilation = GeneratorHarness.Compilation(Declarations);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Declarations.Replace("=> Task.CompletedTask;", "=> Task.Delay(id);", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "User0.cs"));

        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(run.TrackedSteps[PotteryGenerator.SynchronizeModels].SelectMany(s => s.Outputs), output => Assert.Equal(IncrementalStepRunReason.Unchanged, output.Reason));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Reshaping_a_MessagePack_type_regenerates_its_formatter_only()
    {
        var compilation = GeneratorHarness.Compilation(Declarations);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Declarations.Replace("public string Street { get; set; } = \"\";", "public string Street { get; set; } = \"\"; [MessagePack.Key(1)] public int Floor { get; set; }", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "User0.cs"));

        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains("Floor", Assert.Single(run.GeneratedSources, source => source.HintName.EndsWith(".MessagePackCodec.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
        var outputs = run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Single(outputs, output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.All(outputs.Where(output => output.Reason != IncrementalStepRunReason.Modified), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }
}

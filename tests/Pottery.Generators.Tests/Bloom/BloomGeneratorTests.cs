using Microsoft.CodeAnalysis;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Bloom;

public sealed class BloomGeneratorTests
{
    private const string SeenUrls = """
        using Pottery;

        namespace Shop;

        [RedisBloom<string>(Capacity = 1_000_000, FalsePositiveRate = 0.001)]
        public partial class SeenUrls;
        """;

    [Fact]
    public void Emits_a_typed_filter_with_compile_time_sizes()
    {
        var generated = GeneratorHarness.Generate(SeenUrls);

        Snapshot.Match(Assert.Single(generated).Value, "SeenUrls.Bloom");
    }

    [Fact]
    public void Works_for_a_nested_class_in_the_global_namespace()
    {
        var generated = GeneratorHarness.Generate("""
            public partial class Outer
            {
                [Pottery.RedisBloom<int>(Capacity = 100, FalsePositiveRate = 0.01)]
                internal partial class Seen { }
            }
            """);

        Snapshot.Match(Assert.Single(generated).Value, "Outer.Seen.Bloom");
    }

    [Theory]
    [InlineData("Capacity = 0, FalsePositiveRate = 0.01", "capacity must be at least 1")]
    [InlineData("FalsePositiveRate = 0.01", "capacity must be at least 1")]
    [InlineData("Capacity = 100, FalsePositiveRate = 1", "between 0 and 1")]
    [InlineData("Capacity = 100", "between 0 and 1")]
    [InlineData("Capacity = 10_000_000_000, FalsePositiveRate = 1e-9", "more than the 4294967296 bits")]
    public void Invalid_parameters_are_compile_time_errors(string arguments, string explanation)
    {
        var (run, _, _) = GeneratorHarness.Run($"[Pottery.RedisBloom<string>({arguments})] public partial class Seen;");

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(("POT010", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Contains(explanation, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void A_class_that_is_not_partial_is_told_to_be()
    {
        var (run, _, _) = GeneratorHarness.Run("[Pottery.RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)] public class Seen;");

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("POT001", diagnostic.Id);
        Assert.Contains("add the 'partial' modifier", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_nested_in_a_non_partial_type_is_told_which()
    {
        var (run, _, _) = GeneratorHarness.Run("public class Outer { [Pottery.RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)] public partial class Seen; }");

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("POT002", diagnostic.Id);
        Assert.Contains("'Outer'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_generic_class_is_refused()
    {
        var (run, _, _) = GeneratorHarness.Run("[Pottery.RedisBloom<string>(Capacity = 100, FalsePositiveRate = 0.01)] public partial class Seen<T>;");

        Assert.Equal("POT003", Assert.Single(run.Diagnostics).Id);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void An_unrelated_edit_reuses_the_cached_model_and_output()
    {
        var compilation = GeneratorHarness.Compilation(SeenUrls, "namespace Shop; public class Other { public int M() => 1; }");
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace Shop; public class Other { public int M() => 2; }", GeneratorHarness.ParseOptions, path: "User1.cs"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The model is re-derived (or not even that) and found equal, so nothing is emitted again.
        var models = run.TrackedSteps[PotteryGenerator.BloomModels].SelectMany(step => step.Outputs).Select(output => output.Reason);
        Assert.All(models, reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(run.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_the_attribute_regenerates()
    {
        var compilation = GeneratorHarness.Compilation(SeenUrls);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(SeenUrls.Replace("0.001", "0.01", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "User0.cs"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(run.TrackedSteps[PotteryGenerator.BloomModels].SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Bits = 9585059L", Assert.Single(run.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
    }
}

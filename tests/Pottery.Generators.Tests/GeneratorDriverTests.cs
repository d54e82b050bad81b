using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators;

namespace Pottery.Generators.Tests;

public sealed class GeneratorDriverTests
{
    [Fact]
    public void Runs_in_a_compilation_that_references_the_runtime_without_diagnostics()
    {
        var compilation = CSharpCompilation.Create(
            "User",
            [CSharpSyntaxTree.ParseText("namespace User; public partial class Tel { }")],
            [
                MetadataReference.CreateFromFile(typeof(object).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(PotteryException).Assembly.Location),
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        GeneratorDriver driver = CSharpGeneratorDriver.Create(new PotteryGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();

        Assert.Empty(diagnostics);
        Assert.Null(result.Exception);
        Assert.Empty(result.GeneratedSources);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}

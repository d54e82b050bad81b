using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pottery.Generators.Tests.Infrastructure;

/// <summary>Runs the Pottery generator over user source in a compilation that references the runtime, as a real build does.</summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(PotteryException).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(StackExchange.Redis.IDatabase).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(MessagePack.MessagePackWriter).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(MessagePack.KeyAttribute).Assembly.Location),
    ];

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(ParseOptions, sources);

    public static CSharpCompilation Compilation(CSharpParseOptions parseOptions, params string[] sources) => CSharpCompilation.Create(
        "User",
        sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: $"User{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)])); // as the .NET SDK does

    public static GeneratorDriver Driver() => Driver(ParseOptions);

    public static GeneratorDriver Driver(CSharpParseOptions parseOptions) => CSharpGeneratorDriver.Create(
        [new PotteryGenerator().AsSourceGenerator()],
        parseOptions: parseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Generates for <paramref name="sources"/>; returns the run and the compiled output's errors and warnings.</summary>
    public static (GeneratorRunResult Run, Compilation Output, ImmutableArray<Diagnostic> CompileDiagnostics) Run(params string[] sources) => Run(ParseOptions, sources);

    /// <summary>Generates for <paramref name="sources"/> parsed with <paramref name="parseOptions"/> (a language version, say).</summary>
    public static (GeneratorRunResult Run, Compilation Output, ImmutableArray<Diagnostic> CompileDiagnostics) Run(CSharpParseOptions parseOptions, params string[] sources)
    {
        var driver = Driver(parseOptions).RunGeneratorsAndUpdateCompilation(Compilation(parseOptions, sources), out var output, out _);
        var run = driver.GetRunResult().Results.Single();
        Assert.Null(run.Exception);
        return (run, output, output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray());
    }

    /// <summary>The generated files of a run that must compile cleanly.</summary>
    public static IReadOnlyDictionary<string, string> Generate(params string[] sources)
    {
        var (run, _, compile) = Run(sources);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compile);
        return run.GeneratedSources.ToDictionary(source => source.HintName, source => source.SourceText.ToString());
    }
}

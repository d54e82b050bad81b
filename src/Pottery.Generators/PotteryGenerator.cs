using Microsoft.CodeAnalysis;
using Pottery.Generators.Bloom;
using Pottery.Generators.Dict;
using Pottery.Generators.Model;
using Pottery.Generators.Synchronize;

namespace Pottery.Generators;

/// <summary>
/// The entry point Roslyn loads. Each Pottery attribute gets its own pipeline: find the attributed
/// declarations (<c>ForAttributeWithMetadataName</c>), parse them into equatable models that carry
/// their diagnostics, and emit source from the models alone.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PotteryGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the Bloom pipeline's model step, for incremental-cache tests.</summary>
    public const string BloomModels = nameof(BloomModels);

    /// <summary>Tracking name of the [RedisDict] pipeline's model step.</summary>
    public const string DictModels = nameof(DictModels);

    /// <summary>Tracking name of the [RedisDict&lt;TKey, TValue&gt;] pipeline's model step.</summary>
    public const string TypedDictModels = nameof(TypedDictModels);

    /// <summary>Tracking name of the [Synchronize] pipeline's model step.</summary>
    public const string SynchronizeModels = nameof(SynchronizeModels);

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        Pipeline(context, BloomParser.AttributeName, IsClass, BloomParser.Parse, BloomModels, BloomEmitter.Emit, static model => model.Type.HintName + ".Bloom.g.cs");
        Pipeline(context, DictParser.AttributeName, IsClass, DictParser.Parse, DictModels, DictEmitter.Emit, static model => model.Type.HintName + ".RedisDict.g.cs");
        Pipeline(context, TypedDictParser.AttributeName, IsClass, TypedDictParser.Parse, TypedDictModels, TypedDictEmitter.Emit, static model => model.Type.HintName + ".TypedRedisDict.g.cs");
        Pipeline(context, SynchronizeParser.AttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax, SynchronizeParser.Parse, SynchronizeModels, SynchronizeEmitter.Emit, static model => model.HintName);
    }

    private static bool IsClass(SyntaxNode node, System.Threading.CancellationToken cancellationToken) =>
        node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax;

    // find (attribute) -> model (parse, tracked for cache tests) -> emit, with the model's diagnostics reported.
    private static void Pipeline<T>(
        IncrementalGeneratorInitializationContext context,
        string attribute,
        System.Func<SyntaxNode, System.Threading.CancellationToken, bool> candidate,
        System.Func<GeneratorAttributeSyntaxContext, System.Threading.CancellationToken, Parsed<T>> parse,
        string trackingName,
        System.Func<T, string> emit,
        System.Func<T, string> hintName)
        where T : class
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(attribute, candidate, parse)
            .WithTrackingName(trackingName);
        Register(context, parsed, emit, hintName);
    }

    private static void Register<T>(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<Parsed<T>> parsed, System.Func<T, string> emit, System.Func<T, string> hintName)
        where T : class
    {
        context.RegisterSourceOutput(parsed, (output, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (result.Model is { } model)
            {
                output.AddSource(hintName(model), emit(model));
            }
        });
    }
}

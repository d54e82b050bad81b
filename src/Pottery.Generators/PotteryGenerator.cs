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
        var blooms = context.SyntaxProvider
            .ForAttributeWithMetadataName(BloomParser.AttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax, static (target, _) => BloomParser.Parse(target))
            .WithTrackingName(BloomModels);
        Register(context, blooms, BloomEmitter.Emit, static model => model.Type.HintName + ".Bloom.g.cs");

        var dicts = context.SyntaxProvider
            .ForAttributeWithMetadataName(DictParser.AttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax, static (target, _) => DictParser.Parse(target))
            .WithTrackingName(DictModels);
        Register(context, dicts, DictEmitter.Emit, static model => model.Type.HintName + ".RedisDict.g.cs");

        var typedDicts = context.SyntaxProvider
            .ForAttributeWithMetadataName(TypedDictParser.AttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax, static (target, _) => TypedDictParser.Parse(target))
            .WithTrackingName(TypedDictModels);
        Register(context, typedDicts, TypedDictEmitter.Emit, static model => model.Type.HintName + ".TypedRedisDict.g.cs");

        var synchronized = context.SyntaxProvider
            .ForAttributeWithMetadataName(SynchronizeParser.AttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax, static (target, _) => SynchronizeParser.Parse(target))
            .WithTrackingName(SynchronizeModels);
        Register(context, synchronized, SynchronizeEmitter.Emit, static model => model.HintName);
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

using System.Linq;
using Microsoft.CodeAnalysis;
using Pottery.Generators.Bloom;
using Pottery.Generators.Codecs;
using Pottery.Generators.Dict;
using Pottery.Generators.Model;
using Pottery.Generators.Synchronize;

namespace Pottery.Generators;

/// <summary>
/// The entry point Roslyn loads. Each Pottery attribute gets its own pipeline: find the attributed
/// declarations (<c>ForAttributeWithMetadataName</c>), parse them into equatable models that carry
/// their diagnostics, and emit source from the models alone. The MessagePack formatters all the
/// models use are gathered into one more output, so each is emitted once for the compilation.
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

    /// <summary>Tracking name of the step that gathers the formatters shared by all models, one per type.</summary>
    public const string SharedFormatters = nameof(SharedFormatters);

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var bloom = Pipeline(context, BloomParser.AttributeName, IsClass, BloomParser.Parse, BloomModels, BloomEmitter.Emit, static model => model.Type.HintName + ".Bloom.g.cs");
        var dict = Pipeline(context, DictParser.AttributeName, IsClass, DictParser.Parse, DictModels, DictEmitter.Emit, static model => model.Type.HintName + ".RedisDict.g.cs");
        var typedDict = Pipeline(context, TypedDictParser.AttributeName, IsClass, TypedDictParser.Parse, TypedDictModels, TypedDictEmitter.Emit, static model => model.Type.HintName + ".TypedRedisDict.g.cs");
        var synchronize = Pipeline(context, SynchronizeParser.AttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax, SynchronizeParser.Parse, SynchronizeModels, SynchronizeEmitter.Emit, static model => model.HintName);

        // Sorted and compared as a whole, so the set is unchanged until a formatter is added, removed or reshaped;
        // each formatter is then its own output, cached apart from the others.
        var shared = bloom.Collect().Combine(dict.Collect()).Combine(typedDict.Collect()).Combine(synchronize.Collect())
            .Select(static (all, _) => new EquatableArray<FormatterModel>(all.Left.Left.Left
                .Concat(all.Left.Left.Right)
                .Concat(all.Left.Right)
                .Concat(all.Right)
                .GroupBy(static formatter => formatter.Type, System.StringComparer.Ordinal)
                .Select(static group => group.First())
                .OrderBy(static formatter => formatter.Type, System.StringComparer.Ordinal)))
            .WithTrackingName(SharedFormatters)
            .SelectMany(static (formatters, _) => formatters);
        context.RegisterSourceOutput(shared, static (output, formatter) => output.AddSource(FormatterEmitter.HintName(formatter), FormatterEmitter.EmitShared(formatter)));
    }

    private static bool IsClass(SyntaxNode node, System.Threading.CancellationToken cancellationToken) =>
        node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax;

    // find (attribute) -> model (parse, tracked for cache tests) -> emit, with the model's diagnostics reported;
    // returns the formatters the models share with the rest of the compilation.
    private static IncrementalValuesProvider<FormatterModel> Pipeline<T>(
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

        // Without the shared formatters, so a change to one re-emits only its own file.
        var own = parsed.Select(static (result, _) => result with { SharedFormatters = EquatableArray<FormatterModel>.Empty });
        Register(context, own, emit, hintName);
        return parsed.SelectMany(static (result, _) => result.SharedFormatters);
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

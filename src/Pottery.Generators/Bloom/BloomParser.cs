using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Pottery.Generators.Codecs;
using Pottery.Generators.Model;

namespace Pottery.Generators.Bloom;

/// <summary>Turns a class marked <c>[RedisBloom&lt;T&gt;]</c> into a <see cref="BloomModel"/> or diagnostics.</summary>
internal static class BloomParser
{
    public const string AttributeName = "Pottery.RedisBloomAttribute`1";

    public static Parsed<BloomModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var problems = TargetCheck.Problems(type, cancellationToken);
        var attribute = context.Attributes[0];
        var elementType = attribute.AttributeClass!.TypeArguments[0];
        var capacity = AttributeValues.Named<long>(attribute, "Capacity");
        var rate = AttributeValues.Named<double>(attribute, "FalsePositiveRate");
        if (BloomSizing.Problem(capacity, rate) is { } problem)
        {
            var location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? type.Locations.FirstOrDefault();
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.InvalidBloomParameters, location, type.Name, problem));
        }

        var known = KnownTypes.For(context.SemanticModel.Compilation);
        var shapes = new MessagePackShapes(known);
        var choice = CodecChoice.For(elementType, known, shapes, type);
        if (!choice.Found)
        {
            var argument = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax)?.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GenericNameSyntax>().FirstOrDefault()?.TypeArgumentList.Arguments.FirstOrDefault();
            problems.Add(choice.Diagnostic(argument?.GetLocation() ?? type.Locations.FirstOrDefault(), $"The element of [RedisBloom<T>] class '{type.Name}'", elementType));
        }

        if (problems.Count > 0)
        {
            return Parsed<BloomModel>.Failed(problems);
        }

        var bits = BloomSizing.Bits(capacity, rate);
        return Parsed<BloomModel>.Succeeded(new BloomModel(
            TypeDeclaration.From(type),
            elementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)),
            capacity,
            rate,
            bits,
            BloomSizing.Hashes(capacity, bits),
            choice.Expression ?? "null",
            type.IsSealed,
            new EquatableArray<FormatterModel>(shapes.Nested))).Using(shapes);
    }
}

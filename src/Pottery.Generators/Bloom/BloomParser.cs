using System.Linq;
using Microsoft.CodeAnalysis;
using Pottery.Generators.Codecs;
using Pottery.Generators.Model;

namespace Pottery.Generators.Bloom;

/// <summary>Turns a class marked <c>[RedisBloom&lt;T&gt;]</c> into a <see cref="BloomModel"/> or diagnostics.</summary>
internal static class BloomParser
{
    public const string AttributeName = "Pottery.RedisBloomAttribute`1";

    public static Parsed<BloomModel> Parse(GeneratorAttributeSyntaxContext context)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var problems = TargetCheck.Problems(type);
        var attribute = context.Attributes[0];
        var elementType = attribute.AttributeClass!.TypeArguments[0];
        var capacity = AttributeValues.Named<long>(attribute, "Capacity");
        var rate = AttributeValues.Named<double>(attribute, "FalsePositiveRate");
        if (BloomSizing.Problem(capacity, rate) is { } problem)
        {
            var location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? type.Locations.FirstOrDefault();
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.InvalidBloomParameters, location, type.Name, problem));
        }

        var shapes = new MessagePackShapes();
        var codec = CodecChoice.Expression(elementType, shapes, out var codecProblem);
        if (codec is null)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.UnsupportedMessagePackShape, type.Locations.FirstOrDefault(), type.Name, codecProblem ?? string.Empty));
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
            codec!,
            new EquatableArray<FormatterModel>(shapes.Formatters)));
    }
}

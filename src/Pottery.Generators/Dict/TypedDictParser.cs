using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pottery.Generators.Codecs;
using Pottery.Generators.Model;

namespace Pottery.Generators.Dict;

/// <summary>Turns a class marked <c>[RedisDict&lt;TKey, TValue&gt;]</c> into a <see cref="TypedDictModel"/> or diagnostics.</summary>
internal static class TypedDictParser
{
    public const string AttributeName = "Pottery.RedisDictAttribute`2";

    private static readonly SymbolDisplayFormat TypeFormat = TypeNames.Qualified;

    public static Parsed<TypedDictModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var problems = TargetCheck.Problems(type, cancellationToken);
        var location = type.Locations.Length > 0 ? type.Locations[0] : null;
        var attribute = context.Attributes[0];
        var arguments = attribute.AttributeClass!.TypeArguments;
        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.TypedDictHasBase, location, type.Name, baseType.ToDisplayString()));
        }

        var known = KnownTypes.For(context.SemanticModel.Compilation);
        var shapes = new MessagePackShapes(known);
        var codecs = new string?[2];
        var argumentSyntax = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.DescendantNodes().OfType<GenericNameSyntax>().FirstOrDefault()?.TypeArgumentList.Arguments;
        for (var i = 0; i < 2; i++)
        {
            var choice = CodecChoice.For(arguments[i], known, shapes, type);
            if (!choice.Found)
            {
                var at = argumentSyntax is { Count: 2 } both ? both[i].GetLocation() : location;
                problems.Add(choice.Diagnostic(at, $"The {(i == 0 ? "key" : "value")} of [RedisDict<TKey, TValue>] class '{type.Name}'", arguments[i]));
            }

            codecs[i] = choice.Expression ?? "null";
        }

        return problems.Count > 0
            ? Parsed<TypedDictModel>.Failed(problems)
            : Parsed<TypedDictModel>.Succeeded(new TypedDictModel(
                TypeDeclaration.From(type),
                arguments[0].ToDisplayString(TypeFormat),
                arguments[1].ToDisplayString(TypeFormat),
                codecs[0]!,
                codecs[1]!,
                type.IsAbstract,
                new EquatableArray<FormatterModel>(shapes.Nested))).Using(shapes);
    }
}

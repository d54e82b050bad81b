using Microsoft.CodeAnalysis;
using Pottery.Generators.Codecs;
using Pottery.Generators.Model;

namespace Pottery.Generators.Dict;

/// <summary>Turns a class marked <c>[RedisDict&lt;TKey, TValue&gt;]</c> into a <see cref="TypedDictModel"/> or diagnostics.</summary>
internal static class TypedDictParser
{
    public const string AttributeName = "Pottery.RedisDictAttribute`2";

    private static readonly SymbolDisplayFormat TypeFormat = TypeNames.Qualified;

    public static Parsed<TypedDictModel> Parse(GeneratorAttributeSyntaxContext context)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var problems = TargetCheck.Problems(type);
        var location = type.Locations.Length > 0 ? type.Locations[0] : null;
        var arguments = context.Attributes[0].AttributeClass!.TypeArguments;
        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.TypedDictHasBase, location, type.Name, baseType.ToDisplayString()));
        }

        var shapes = new MessagePackShapes();
        var codecs = new string?[2];
        for (var i = 0; i < 2; i++)
        {
            codecs[i] = CodecChoice.Expression(arguments[i], shapes, out var problem);
            if (codecs[i] is null)
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.UnsupportedMessagePackShape, location, type.Name, problem ?? string.Empty));
            }
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
                new EquatableArray<FormatterModel>(shapes.Formatters)));
    }
}

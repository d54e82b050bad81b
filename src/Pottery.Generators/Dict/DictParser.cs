using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pottery.Generators.Codecs;
using Pottery.Generators.Model;

namespace Pottery.Generators.Dict;

/// <summary>Turns a class marked <c>[RedisDict]</c> into a <see cref="DictModel"/> or diagnostics.</summary>
internal static class DictParser
{
    public const string AttributeName = "Pottery.RedisDictAttribute";

    /// <summary>Members the generator adds; a property of the same name would collide.</summary>
    private static readonly HashSet<string> Reserved = ["Key", "KeyPrefix", "TimeToLive", "Snapshot", "Load", "LoadAsync", "TryLoad", "TryLoadAsync", "Save", "SaveAsync", "Exists", "ExistsAsync", "Delete", "DeleteAsync"];

    private static readonly SymbolDisplayFormat TypeFormat = TypeNames.Qualified;

    private static readonly SymbolDisplayFormat PlainTypeFormat = TypeNames.QualifiedPlain;

    public static Parsed<DictModel> Parse(GeneratorAttributeSyntaxContext context)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var problems = TargetCheck.Problems(type);

        // Below C# 13 the compiler refuses the partial properties themselves (CS8703) without saying
        // what to change; generating their other halves would only add errors inside generated code.
        if (context.TargetNode.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp13 } options)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictNeedsCSharp13, type.Locations.Length > 0 ? type.Locations[0] : null, type.Name, options.LanguageVersion.ToDisplayString()));
            return Parsed<DictModel>.Failed(problems);
        }

        var attribute = context.Attributes[0];
        var properties = new List<PropertyModel>();
        var fields = new Dictionary<string, string>();
        var shapes = new MessagePackShapes();
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer))
        {
            var syntax = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
            if (syntax is null)
            {
                continue;
            }

            var location = syntax.Identifier.GetLocation();
            var isPartial = syntax.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword));
            var isAuto = syntax.AccessorList is { } accessors && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null) && syntax.ExpressionBody is null;
            if (!isPartial)
            {
                if (isAuto && property.SetMethod is not null)
                {
                    problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictPropertyNotPartial, location, property.Name, type.Name));
                }

                continue;
            }

            if (property.GetMethod is null || property.SetMethod is null || property.SetMethod.IsInitOnly
                || property.GetMethod.DeclaredAccessibility != property.DeclaredAccessibility || property.SetMethod.DeclaredAccessibility != property.DeclaredAccessibility)
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictPropertyAccessors, location, property.Name));
                continue;
            }

            if (Reserved.Contains(property.Name))
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictReservedName, location, property.Name));
                continue;
            }

            var field = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "Pottery.RedisFieldAttribute")?.ConstructorArguments.FirstOrDefault().Value as string ?? property.Name;
            if (field.Length == 0)
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictDuplicateField, location, property.Name, "an empty name", "give it a non-empty [RedisField] name"));
                continue;
            }

            if (fields.TryGetValue(field, out var other))
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictDuplicateField, location, property.Name, $"field '{field}', like '{other}'", "rename one with [RedisField]"));
                continue;
            }

            fields[field] = property.Name;
            var codecType = property.Type.WithNullableAnnotation(property.Type.IsReferenceType ? NullableAnnotation.NotAnnotated : property.Type.NullableAnnotation).ToDisplayString(TypeFormat);
            string codec;
            if (BuiltInCodecs.Handles(property.Type))
            {
                codec = $"global::Pottery.RedisCodecs.For<{codecType}>()";
            }
            else if (MessagePackShapes.IsMessagePackObject(property.Type))
            {
                if (shapes.CodecFor(property.Type, out var shapeProblem) is not { } generated)
                {
                    problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.UnsupportedMessagePackShape, location, property.Name, shapeProblem ?? string.Empty));
                    continue;
                }

                codec = generated + ".Instance";
            }
            else
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictUnsupportedType, location, property.Name, property.Type.ToDisplayString()));
                continue;
            }

            var optional = property.Type.NullableAnnotation == NullableAnnotation.Annotated;
            properties.Add(new PropertyModel(
                property.Name,
                property.Type.ToDisplayString(TypeFormat),
                Underlying(property.Type).ToDisplayString(PlainTypeFormat),
                SyntaxFacts.GetText(property.DeclaredAccessibility),
                field,
                !optional,
                property.Type.IsReferenceType || property.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T,
                BuiltInCodecs.IsInteger(property.Type) ? IncrementKind.Integer : BuiltInCodecs.IsFloating(property.Type) ? IncrementKind.Floating : IncrementKind.None,
                codecType,
                codec));
        }

        if (problems.Count > 0)
        {
            return Parsed<DictModel>.Failed(problems);
        }

        var prefix = AttributeValues.Named<string>(attribute, "KeyPrefix") ?? type.Name;
        var ttl = AttributeValues.Named<double>(attribute, "TimeToLiveSeconds");
        return Parsed<DictModel>.Succeeded(new DictModel(TypeDeclaration.From(type), prefix, ttl, new EquatableArray<PropertyModel>(properties), new EquatableArray<FormatterModel>(shapes.Formatters)));
    }

    private static ITypeSymbol Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
}

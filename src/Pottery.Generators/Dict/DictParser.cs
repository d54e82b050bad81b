using System.Collections.Generic;
using System.Linq;
using System.Threading;
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

    // Partial properties came with C# 13; the generator is built against a Roslyn that predates the enum member.
    private const LanguageVersion CSharp13 = (LanguageVersion)1300;

    private static readonly SymbolDisplayFormat TypeFormat = TypeNames.Qualified;

    private static readonly SymbolDisplayFormat PlainTypeFormat = TypeNames.QualifiedPlain;

    public static Parsed<DictModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var problems = TargetCheck.Problems(type, cancellationToken);

        // Below C# 13 the compiler refuses the partial properties themselves (CS8703) without saying
        // what to change; generating their other halves would only add errors inside generated code.
        if (context.TargetNode.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < CSharp13 } options)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictNeedsCSharp13, type.Locations.Length > 0 ? type.Locations[0] : null, type.Name, options.LanguageVersion.ToDisplayString()));
            return Parsed<DictModel>.Failed(problems);
        }

        if (problems.Count > 0)
        {
            return Parsed<DictModel>.Failed(problems);
        }

        var known = KnownTypes.For(context.SemanticModel.Compilation);
        var attribute = context.Attributes[0];
        var properties = new List<PropertyModel>();
        var partials = new List<IPropertySymbol>();
        var fields = new Dictionary<string, string>();
        var shapes = new MessagePackShapes(known);
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var syntax = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
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

            // Every partial property gets an implementing part, so a rejected one is reported once, by its POT id.
            partials.Add(property);
            if (property.GetMethod is null || property.SetMethod is null || property.SetMethod.IsInitOnly
                || property.GetMethod.DeclaredAccessibility != property.DeclaredAccessibility || property.SetMethod.DeclaredAccessibility != property.DeclaredAccessibility)
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictPropertyAccessors, syntax.AccessorList?.GetLocation() ?? location, property.Name));
                continue;
            }

            if (Reserved.Contains(property.Name))
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.DictReservedName, location, property.Name));
                continue;
            }

            // Most properties carry no attribute; asking the symbol for its attributes binds them.
            var field = (syntax.AttributeLists.Count == 0 ? null : property.GetAttributes().FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, known.RedisFieldAttribute))?.ConstructorArguments.FirstOrDefault().Value as string) ?? property.Name;
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
            var choice = CodecChoice.For(property.Type, known, shapes, type);
            if (!choice.Found)
            {
                problems.Add(choice.Diagnostic(syntax.Type.GetLocation(), $"[RedisDict] property '{property.Name}'", property.Type));
                continue;
            }

            var optional = property.Type.NullableAnnotation == NullableAnnotation.Annotated;
            var displayType = property.Type.ToDisplayString(TypeFormat);
            var increment = BuiltInCodecs.IsInteger(property.Type) ? IncrementKind.Integer : BuiltInCodecs.IsFloating(property.Type) ? IncrementKind.Floating : IncrementKind.None;
            properties.Add(new PropertyModel(
                property.Name,
                displayType,
                increment == IncrementKind.None ? displayType : Underlying(property.Type).ToDisplayString(PlainTypeFormat),
                SyntaxFacts.GetText(property.DeclaredAccessibility),
                field,
                !optional,
                increment,
                // The codec's type: a reference type's without its annotation (the codec handles null), a value type's as declared.
                property.Type.IsReferenceType && optional ? property.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat) : displayType,
                choice.Expression,
                HasDocComment(syntax)));
        }

        var prefix = AttributeValues.Named<string>(attribute, "KeyPrefix") ?? type.Name;
        var ttl = AttributeValues.Named<double>(attribute, "TimeToLiveSeconds");
        if (problems.Any(p => PotteryDiagnostics.ById(p.Id).DefaultSeverity == DiagnosticSeverity.Error))
        {
            // Only the partial properties' other halves: generated members could clash with a rejected name.
            var stubs = partials.Select(p => new PropertyStub(SyntaxFacts.GetText(p.DeclaredAccessibility), p.Type.ToDisplayString(TypeFormat), p.Name, StubAccessors(p)));
            return Parsed<DictModel>.WithProblems(DictModel.StubsOnly(TypeDeclaration.From(type), new EquatableArray<PropertyStub>(stubs)), problems);
        }

        var model = new DictModel(TypeDeclaration.From(type), prefix, ttl, new EquatableArray<PropertyModel>(properties), new EquatableArray<FormatterModel>(shapes.Nested), EquatableArray<PropertyStub>.Empty);
        return (problems.Count > 0 ? Parsed<DictModel>.WithProblems(model, problems) : Parsed<DictModel>.Succeeded(model)).Using(shapes);
    }

    // A user's own doc comment on the declaring part is the one the compiler keeps only if the implementing part has none.
    private static bool HasDocComment(PropertyDeclarationSyntax syntax) =>
        syntax.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia));

    private static EquatableArray<string> StubAccessors(IPropertySymbol property)
    {
        var accessors = new List<string>();
        if (property.GetMethod is { } get)
        {
            accessors.Add(Accessor(property, get, "get"));
        }

        if (property.SetMethod is { } set)
        {
            accessors.Add(Accessor(property, set, set.IsInitOnly ? "init" : "set"));
        }

        return new EquatableArray<string>(accessors);
    }

    private static string Accessor(IPropertySymbol property, IMethodSymbol accessor, string keyword) =>
        (accessor.DeclaredAccessibility == property.DeclaredAccessibility ? string.Empty : SyntaxFacts.GetText(accessor.DeclaredAccessibility) + " ") + keyword;

    private static ITypeSymbol Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
}

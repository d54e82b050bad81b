using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pottery.Generators.Codecs;
using Pottery.Generators.Model;

namespace Pottery.Generators.Synchronize;

/// <summary>Turns a method marked <c>[Synchronize]</c> into a <see cref="SynchronizeModel"/> or diagnostics.</summary>
internal static class SynchronizeParser
{
    public const string AttributeName = "Pottery.SynchronizeAttribute";

    private static readonly SymbolDisplayFormat TypeFormat = TypeNames.Qualified;

    public static Parsed<SynchronizeModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var type = method.ContainingType;
        var location = method.Locations.FirstOrDefault();
        var problems = TargetCheck.Problems(type, cancellationToken);
        var attribute = context.Attributes[0];
        var key = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        var known = KnownTypes.For(context.SemanticModel.Compilation);
        var signature = string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString(TypeFormat)));
        var suffix = $"{method.Name}_{StableHash.Of(signature):x8}";
        var shapes = new MessagePackShapes(known, $"__potteryKeyCodecs_{suffix}.");

        // Problems with the key point at its string, when the attribute spells it out as one.
        var keyLocation = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression.GetLocation() ?? location;

        if (method.IsAbstract)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeAbstract, location, method.Name));
        }

        if (method.IsGenericMethod)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.GenericType, location, method.Name));
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer || parameter.Type.IsRefLikeType)
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeByRefParameter, parameter.Locations.FirstOrDefault() ?? location, method.Name, parameter.Name));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (context.TargetNode.DescendantNodes().Any(node => node is YieldStatementSyntax))
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeIterator, location, method.Name));
        }

        var keyParts = new List<KeyPart>();
        if (key is null || key.Length == 0)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeBadKey, keyLocation, method.Name, "the key is empty"));
        }
        else
        {
            var (parts, error) = KeyTemplate.Parse(key);
            if (error is not null)
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeBadKey, keyLocation, method.Name, error));
            }

            foreach (var (text, isPlaceholder) in parts)
            {
                if (!isPlaceholder)
                {
                    keyParts.Add(new KeyPart(text, false, null, null));
                }
                else if (method.Parameters.FirstOrDefault(p => p.Name == text) is { } parameter)
                {
                    var choice = CodecChoice.For(parameter.Type, known, shapes, type);
                    if (!choice.Found)
                    {
                        problems.Add(choice.Diagnostic(keyLocation, $"[Synchronize] key placeholder '{{{text}}}' of '{method.Name}'", parameter.Type));
                    }

                    keyParts.Add(new KeyPart(parameter.Name, true, parameter.Type.ToDisplayString(TypeFormat), choice.Expression));
                }
                else
                {
                    problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeUnknownPlaceholder, keyLocation, method.Name, text, string.Join(", ", method.Parameters.Select(p => p.Name))));
                }
            }
        }

        var blocking = AttributeValues.Named<bool?>(attribute, "Blocking") ?? true;
        var timeoutSeconds = AttributeValues.Named<double?>(attribute, "TimeoutSeconds") ?? -1;
        if (!blocking && timeoutSeconds >= 0)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeTimeoutWithoutBlocking, location, method.Name, timeoutSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var masters = FindMasters(type, method, known, AttributeValues.Named<string>(attribute, "Masters"), location, problems, out var oneDatabase);
        var permits = AttributeValues.Named<int?>(attribute, "Permits") ?? 0;
        var mode = AttributeValues.Named<int?>(attribute, "Mode") ?? 0;
        if (mode is < 0 or > 2)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeBadForm, location, method.Name, $"Mode = {mode} is not a SynchronizeMode; use Exclusive, Read or Write"));
        }
        else if (mode != 0 && permits != 0)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeBadForm, location, method.Name, "Permits and Mode do not combine: a semaphore has no readers and writers; keep one of them"));
        }
        else if (mode != 0 && masters is not null && !oneDatabase)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeBadForm, location, method.Name, $"a reader-writer lock (Mode = {(mode == 1 ? "Read" : "Write")}) lives on one Redis database, but '{masters}' holds several masters; name a single IDatabase with Masters"));
        }
        else if (permits < 0)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeBadForm, location, method.Name, $"Permits = {permits} is negative; give 1 or more for a semaphore, or leave it out for a lock"));
        }
        else if (permits > 0 && masters is not null && !oneDatabase)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeBadForm, location, method.Name, $"a semaphore (Permits = {permits}) lives on one Redis database, but '{masters}' holds several masters; name a single IDatabase with Masters"));
        }

        if (problems.Count > 0)
        {
            return Parsed<SynchronizeModel>.Failed(problems);
        }

        var (shape, result) = Shape(method.ReturnType, known);
        var wrapper = method.Name.EndsWith("Core", System.StringComparison.Ordinal) && method.Name.Length > 4
            ? method.Name.Substring(0, method.Name.Length - 4)
            : method.Name + "Synchronized";
        var parameters = method.Parameters.Select(p => new ParameterModel(
            p.Name,
            p.Type.ToDisplayString(TypeFormat),
            KnownTypes.Is(p.Type, known.CancellationToken),
            p.IsParams,
            DefaultValue(p))).ToList();
        return Parsed<SynchronizeModel>.Succeeded(new SynchronizeModel(
            TypeDeclaration.From(type),
            wrapper,
            method.Name,
            method.DeclaredAccessibility == Accessibility.Private ? "public" : SyntaxFacts.GetText(method.DeclaredAccessibility),
            method.IsStatic,
            shape,
            method.ReturnType.ToDisplayString(TypeFormat),
            result,
            new EquatableArray<ParameterModel>(parameters),
            new EquatableArray<KeyPart>(keyParts),
            masters!,
            permits,
            (SynchronizeForm)(mode == 0 ? (permits > 0 ? 1 : 0) : mode + 1),
            AttributeValues.Named<double?>(attribute, "AutoReleaseSeconds") ?? 10,
            blocking,
            timeoutSeconds,
            $"__potteryLock_{suffix}",
            $"__potteryKeyCodecs_{suffix}",
            new EquatableArray<FormatterModel>(shapes.Nested),
            HasDocComment(context.TargetNode),
            $"{TypeDeclaration.From(type).HintName}.{method.Name}.{StableHash.Of(signature):x8}.Synchronize.g.cs")).Using(shapes);
    }

    // The wrapper inherits the body's docs when it has some.
    private static bool HasDocComment(SyntaxNode method) =>
        method.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia));

    private static string? FindMasters(INamedTypeSymbol type, IMethodSymbol method, KnownTypes known, string? named, Location? location, List<DiagnosticInfo> problems, out bool oneDatabase)
    {
        oneDatabase = false;
        var candidates = new List<ISymbol>();
        for (var current = type; current is not null; current = current.BaseType)
        {
            candidates.AddRange(current.GetMembers().Where(member => member is IFieldSymbol { IsImplicitlyDeclared: false } or IPropertySymbol { IsIndexer: false }));
        }

        if (named is not null)
        {
            var member = candidates.FirstOrDefault(candidate => candidate.Name == named);
            if (member is null || !IsMasters(TypeOf(member), known))
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeNoMasters, location, method.Name, $"Masters names '{named}', which is not a field or property of type IDatabase or IEnumerable<IDatabase> in '{type.Name}'"));
                return null;
            }

            oneDatabase = KnownTypes.Is(TypeOf(member), known.Database);
            return Usable(member, method, location, problems);
        }

        // A static method can only use static members; an instance method prefers its own state.
        var all = candidates.Where(candidate => IsMasters(TypeOf(candidate), known)).ToList();
        var masters = method.IsStatic ? all.Where(m => m.IsStatic).ToList() : all.Where(m => !m.IsStatic).ToList();
        if (masters.Count == 0)
        {
            if (method.IsStatic && all.Count > 0)
            {
                // Reports that the candidate is an instance member.
                return Usable(all[0], method, location, problems);
            }

            masters = all;
        }

        switch (masters.Count)
        {
            case 0:
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeNoMasters, location, method.Name, $"'{type.Name}' has no field or property of type IDatabase or IEnumerable<IDatabase>"));
                return null;
            case 1:
                oneDatabase = KnownTypes.Is(TypeOf(masters[0]), known.Database);
                return Usable(masters[0], method, location, problems);
            default:
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeAmbiguousMasters, location, masters.Select(m => m.Locations.FirstOrDefault()), method.Name, string.Join(", ", masters.Select(m => m.Name))));
                return null;
        }
    }

    private static string? Usable(ISymbol member, IMethodSymbol method, Location? location, List<DiagnosticInfo> problems)
    {
        if (method.IsStatic && !member.IsStatic)
        {
            problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.SynchronizeNoMasters, location, method.Name, $"the method is static but '{member.Name}' is an instance member; make it static or the method an instance method"));
            return null;
        }

        return member.IsStatic ? member.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + member.Name : "this." + member.Name;
    }

    private static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool IsMasters(ITypeSymbol? type, KnownTypes known)
    {
        if (type is null)
        {
            return false;
        }

        if (KnownTypes.Is(type, known.Database))
        {
            return true;
        }

        var enumerables = type.AllInterfaces.Concat(type is INamedTypeSymbol named ? [named] : []);
        return type is IArrayTypeSymbol { ElementType: var element } && KnownTypes.Is(element, known.Database)
            || enumerables.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T && KnownTypes.Is(i.TypeArguments[0], known.Database));
    }

    private static (ReturnShape Shape, string? Result) Shape(ITypeSymbol returnType, KnownTypes known)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return (ReturnShape.Void, null);
        }

        if (returnType is INamedTypeSymbol named)
        {
            var definition = named.OriginalDefinition;
            var result = named.TypeArguments.Length == 1 ? named.TypeArguments[0].ToDisplayString(TypeFormat) : null;
            if (KnownTypes.Is(definition, known.Task))
            {
                return (ReturnShape.Task, null);
            }

            if (KnownTypes.Is(definition, known.TaskOfT))
            {
                return (ReturnShape.TaskOfT, result);
            }

            if (KnownTypes.Is(definition, known.ValueTask))
            {
                return (ReturnShape.ValueTask, null);
            }

            if (KnownTypes.Is(definition, known.ValueTaskOfT))
            {
                return (ReturnShape.ValueTaskOfT, result);
            }
        }

        return (ReturnShape.Value, returnType.ToDisplayString(TypeFormat));
    }

    private static string? DefaultValue(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        return parameter.ExplicitDefaultValue switch
        {
            null => "default",
            string text => SymbolDisplay.FormatLiteral(text, quote: true),
            bool flag => flag ? "true" : "false",
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            System.IFormattable number when parameter.Type.TypeKind == TypeKind.Enum => $"({parameter.Type.ToDisplayString(TypeFormat)}){number.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}",
            float single => single.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "F",
            double number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "D",
            decimal number => number.ToString(System.Globalization.CultureInfo.InvariantCulture) + "M",
            System.IFormattable number => $"({parameter.Type.ToDisplayString(TypeFormat)}){number.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}",
            _ => "default",
        };
    }
}

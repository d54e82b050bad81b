using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Model;

/// <summary>
/// The declaration a generated part re-opens: namespace, the chain of containing types (outermost
/// first, e.g. <c>partial class Outer</c>), and the type itself.
/// </summary>
internal sealed record TypeDeclaration(string? Namespace, EquatableArray<string> Containers, string Keyword, string Name, string FullName, string HintName)
{
    public static TypeDeclaration From(INamedTypeSymbol type)
    {
        var containers = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containers.Insert(0, $"partial {KeywordOf(outer)} {outer.Name}");
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } named ? named.ToDisplayString() : null;
        var full = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var hint = full.Replace("global::", string.Empty).Replace('<', '[').Replace('>', ']');
        return new(ns, new EquatableArray<string>(containers), KeywordOf(type), type.Name, full, hint);
    }

    /// <summary>Whether every declaration of the type and of its containers says <c>partial</c>, with the first non-partial one.</summary>
    public static INamedTypeSymbol? FirstNotPartial(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            var partial = current.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax(cancellationToken))
                .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>()
                .All(syntax => syntax.Modifiers.Any(modifier => modifier.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword)));
            if (!partial)
            {
                return current;
            }
        }

        return null;
    }

    private static string KeywordOf(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        _ => "class",
    };
}

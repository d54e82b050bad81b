using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Model;

/// <summary>The checks every attributed type must pass before anything is generated for it.</summary>
internal static class TargetCheck
{
    /// <summary>Diagnostics for a type that is not partial, sits in a non-partial type, or is generic.</summary>
    public static List<DiagnosticInfo> Problems(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        var problems = new List<DiagnosticInfo>();
        var location = type.Locations.Length > 0 ? type.Locations[0] : null;
        if (TypeDeclaration.FirstNotPartial(type, cancellationToken) is { } notPartial)
        {
            problems.Add(SymbolEqualityComparer.Default.Equals(notPartial, type)
                ? DiagnosticInfo.Create(PotteryDiagnostics.NotPartial, location, type.Name)
                : DiagnosticInfo.Create(PotteryDiagnostics.ContainerNotPartial, location, type.Name, notPartial.Name));
        }

        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                problems.Add(DiagnosticInfo.Create(PotteryDiagnostics.GenericType, location, current.Name));
                break;
            }
        }

        return problems;
    }
}

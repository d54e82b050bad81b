using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Model;

/// <summary>A diagnostic as data: which descriptor, where, and the message arguments.</summary>
/// <param name="Others">Further places involved, e.g. the competing members of an ambiguity.</param>
internal sealed record DiagnosticInfo(string Id, SourceLocation? Location, EquatableArray<SourceLocation> Others, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        new(descriptor.Id, SourceLocation.From(location), EquatableArray<SourceLocation>.Empty, new EquatableArray<string>(arguments));

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, IEnumerable<Location?> others, params string[] arguments) =>
        new(descriptor.Id, SourceLocation.From(location), new EquatableArray<SourceLocation>(others.Select(SourceLocation.From).OfType<SourceLocation>()), new EquatableArray<string>(arguments));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(PotteryDiagnostics.ById(Id), Location?.ToLocation(), Others.Select(other => other.ToLocation()), [.. Arguments]);
}

using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Model;

/// <summary>A diagnostic as data: which descriptor, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, SourceLocation? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        new(descriptor.Id, SourceLocation.From(location), new EquatableArray<string>(arguments));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(PotteryDiagnostics.ById(Id), Location?.ToLocation(), [.. Arguments]);
}

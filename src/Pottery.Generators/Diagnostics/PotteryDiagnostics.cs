using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pottery.Generators;

/// <summary>Every diagnostic the generator reports, in one table; ids are stable.</summary>
internal static class PotteryDiagnostics
{
    private const string Category = "Pottery";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "POT001",
        "Type must be partial",
        "'{0}' must be declared 'partial' so Pottery can generate its members: add the 'partial' modifier to every declaration of it");

    public static readonly DiagnosticDescriptor ContainerNotPartial = Error(
        "POT002",
        "Containing type must be partial",
        "'{0}' is nested in '{1}', which must be declared 'partial' too: add the 'partial' modifier to '{1}'");

    public static readonly DiagnosticDescriptor GenericType = Error(
        "POT003",
        "Generic types are not supported",
        "'{0}' is generic; Pottery generates code for non-generic types only: move the attribute to a non-generic class");

    public static readonly DiagnosticDescriptor InvalidBloomParameters = Error(
        "POT010",
        "Bloom filter parameters cannot size a filter",
        "[RedisBloom] on '{0}': {1} Set Capacity to at least 1 and FalsePositiveRate strictly between 0 and 1.");

    private static readonly Dictionary<string, DiagnosticDescriptor> Table = new[]
    {
        NotPartial, ContainerNotPartial, GenericType, InvalidBloomParameters,
    }.ToDictionary(descriptor => descriptor.Id);

    public static IEnumerable<DiagnosticDescriptor> All => Table.Values;

    public static DiagnosticDescriptor ById(string id) => Table[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Model;

/// <summary>
/// The types the parsers recognise, looked up once per compilation and compared as symbols
/// (<see cref="SymbolEqualityComparer"/>), never by their names. A type the compilation does not
/// reference is null, and nothing is that type.
/// </summary>
internal sealed class KnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypes> Cache = new();

    private readonly Lazy<Dictionary<ITypeSymbol, List<INamedTypeSymbol>>> _jsonContexts;

    private KnownTypes(Compilation compilation)
    {
        Compilation = compilation;
        MessagePackObjectAttribute = compilation.GetTypeByMetadataName("MessagePack.MessagePackObjectAttribute");
        KeyAttribute = compilation.GetTypeByMetadataName("MessagePack.KeyAttribute");
        JsonSerializerContext = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializerContext");
        JsonSerializableAttribute = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializableAttribute");
        RedisFieldAttribute = compilation.GetTypeByMetadataName("Pottery.RedisFieldAttribute");
        Database = compilation.GetTypeByMetadataName("StackExchange.Redis.IDatabase");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        Half = compilation.GetTypeByMetadataName("System.Half");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        List = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        Dictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
        _jsonContexts = new Lazy<Dictionary<ITypeSymbol, List<INamedTypeSymbol>>>(FindJsonContexts, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? MessagePackObjectAttribute { get; }

    public INamedTypeSymbol? KeyAttribute { get; }

    public INamedTypeSymbol? JsonSerializerContext { get; }

    public INamedTypeSymbol? JsonSerializableAttribute { get; }

    public INamedTypeSymbol? RedisFieldAttribute { get; }

    public INamedTypeSymbol? Database { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? Half { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? List { get; }

    public INamedTypeSymbol? Dictionary { get; }

    public static KnownTypes For(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypes(c));

    /// <summary>Whether <paramref name="type"/> is <paramref name="known"/> (false when the compilation lacks it).</summary>
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    /// <summary>Whether <paramref name="symbol"/> carries the attribute <paramref name="attribute"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) =>
        attribute is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    /// <summary>
    /// The source-declared <c>JsonSerializerContext</c> that lists <paramref name="type"/> with
    /// <c>[JsonSerializable(typeof(T))]</c> and that code in <paramref name="within"/> can reach, or null.
    /// </summary>
    public INamedTypeSymbol? JsonContextFor(ITypeSymbol type, ISymbol within)
    {
        if (JsonSerializerContext is null || JsonSerializableAttribute is null)
        {
            return null;
        }

        var key = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        return _jsonContexts.Value.TryGetValue(key, out var contexts)
            ? contexts.FirstOrDefault(context => Compilation.IsSymbolAccessibleWithin(context, within))
            : null;
    }

    // Every context in the project's own source, once per compilation and only when a type needs one.
    private Dictionary<ITypeSymbol, List<INamedTypeSymbol>> FindJsonContexts()
    {
        var found = new Dictionary<ITypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        var contexts = new List<INamedTypeSymbol>();
        Collect(Compilation.Assembly.GlobalNamespace, contexts);
        foreach (var context in contexts.OrderBy(c => c.ToDisplayString(), StringComparer.Ordinal))
        {
            foreach (var attribute in context.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, JsonSerializableAttribute)
                    && attribute.ConstructorArguments.FirstOrDefault().Value is ITypeSymbol listed)
                {
                    var key = listed.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
                    if (!found.TryGetValue(key, out var list))
                    {
                        found[key] = list = [];
                    }

                    list.Add(context);
                }
            }
        }

        return found;
    }

    private void Collect(INamespaceOrTypeSymbol container, List<INamedTypeSymbol> contexts)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                Collect(ns, contexts);
            }
            else if (member is INamedTypeSymbol { IsGenericType: false } type)
            {
                if (DerivesFrom(type, JsonSerializerContext!))
                {
                    contexts.Add(type);
                }

                Collect(type, contexts);
            }
        }
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}

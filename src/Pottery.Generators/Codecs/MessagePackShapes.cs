using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Pottery.Generators.Model;

namespace Pottery.Generators.Codecs;

/// <summary>
/// Reads the shape of <c>[MessagePackObject]</c> types (integer <c>[Key]</c> members) into
/// <see cref="FormatterModel"/>s, so formatters can be emitted without MessagePackSerializer's
/// reflection-based resolvers. Unsupported shapes come back as a reason naming the member.
/// </summary>
internal sealed class MessagePackShapes
{
    private static readonly SymbolDisplayFormat TypeFormat = TypeNames.QualifiedPlain;

    private readonly Dictionary<string, FormatterModel?> _formatters = [];

    private readonly KnownTypes _known;

    private readonly string _holder;

    /// <summary>Reads shapes for one generated class.</summary>
    /// <param name="known">The compilation's known types.</param>
    /// <param name="holder">The nested class of the generated class that holds its nested formatters (with a trailing dot), or empty for the class itself.</param>
    public MessagePackShapes(KnownTypes known, string holder = "")
    {
        _known = known;
        _holder = holder;
    }

    /// <summary>The formatters emitted once for the compilation, in the order they were first met.</summary>
    public IEnumerable<FormatterModel> Shared => _formatters.Values.Where(f => f is { IsShared: true })!;

    /// <summary>The formatters nested in the generated class, in the order they were first met.</summary>
    public IEnumerable<FormatterModel> Nested => _formatters.Values.Where(f => f is { IsShared: false })!;

    /// <summary>How generated code names the codec class of a [MessagePackObject] type, or null with a reason.</summary>
    public string? CodecFor(ITypeSymbol type, out string? problem)
    {
        var value = Value(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), type.Name, out problem);
        return value is { Kind: ValueKind.Object } ? value.Method : null;
    }

    private ValueModel? Value(ITypeSymbol type, string path, out string? problem)
    {
        problem = null;
        var name = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
        var reference = type.IsReferenceType;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = Value(nullable.TypeArguments[0], path, out problem);
            return inner is null ? null : new ValueModel(ValueKind.Nullable, type.ToDisplayString(TypeFormat), false, null, new EquatableArray<ValueModel>([inner]));
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return new ValueModel(ValueKind.Enum, name, false, null, EquatableArray<ValueModel>.Empty);
        }

        if (DirectReader(type) is { } method)
        {
            return new ValueModel(ValueKind.Direct, name, reference, method, EquatableArray<ValueModel>.Empty);
        }

        var simple = type.SpecialType == SpecialType.System_Decimal ? ValueKind.Decimal
            : KnownTypes.Is(type, _known.Guid) ? ValueKind.Guid
            : KnownTypes.Is(type, _known.TimeSpan) ? ValueKind.TimeSpan
            : KnownTypes.Is(type, _known.DateTimeOffset) ? ValueKind.DateTimeOffset
            : (ValueKind?)null;
        if (simple is { } kind)
        {
            return new ValueModel(kind, name, false, null, EquatableArray<ValueModel>.Empty);
        }

        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            var element = Value(array.ElementType, path + "[]", out problem);
            return element is null ? null : new ValueModel(ValueKind.Array, name, true, null, new EquatableArray<ValueModel>([element]));
        }

        if (type is INamedTypeSymbol named && named.IsGenericType)
        {
            if (KnownTypes.Is(named.OriginalDefinition, _known.List) || KnownTypes.Is(named.OriginalDefinition, _known.Dictionary))
            {
                var parts = new List<ValueModel>();
                foreach (var argument in named.TypeArguments)
                {
                    var part = Value(argument, path + "<>", out problem);
                    if (part is null)
                    {
                        return null;
                    }

                    parts.Add(part);
                }

                return new ValueModel(parts.Count == 1 ? ValueKind.List : ValueKind.Dictionary, name, true, null, new EquatableArray<ValueModel>(parts));
            }
        }

        if (KnownTypes.HasAttribute(type, _known.MessagePackObjectAttribute))
        {
            var codec = Formatter((INamedTypeSymbol)type, out problem);
            return codec is null ? null : new ValueModel(ValueKind.Object, name, reference, codec, EquatableArray<ValueModel>.Empty);
        }

        problem = $"'{path}' has type '{type.ToDisplayString()}', which has no MessagePack formatter: use a number, string, bool, char, enum, Guid, DateTime, DateTimeOffset, TimeSpan, decimal, byte[], an array, List<T> or Dictionary<TKey, TValue> of those, or another [MessagePackObject] type";
        return null;
    }

    private string? Formatter(INamedTypeSymbol type, out string? problem)
    {
        problem = null;
        var name = type.ToDisplayString(TypeFormat);

        // A type only some classes can see (private, protected, file-local, or in a generic type) keeps its formatter nested in each class that uses it.
        var ns = VisibleToTheAssembly(type) ? CodecNames.SharedNamespace(_known.Compilation.AssemblyName) : null;
        var className = ns is null ? "__PotteryCodec_" + CodecNames.Identifier(name) : CodecNames.Identifier(name);
        var codec = ns is null ? _holder + className : $"global::{ns}.{className}";
        if (_formatters.ContainsKey(name))
        {
            return codec;
        }

        if (type.IsGenericType || type.IsAbstract)
        {
            problem = $"[MessagePackObject] type '{type.Name}' is generic or abstract, which Pottery's generated formatters do not support";
            return null;
        }

        _formatters[name] = null;
        var members = new List<MemberModel>();
        var keyed = type.GetMembers().Where(m => !m.IsStatic && m is IFieldSymbol or IPropertySymbol).ToList();
        foreach (var member in keyed)
        {
            var key = member.GetAttributes().FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, _known.KeyAttribute));
            if (key is null)
            {
                continue;
            }

            if (key.ConstructorArguments.FirstOrDefault().Value is not int index)
            {
                problem = $"'{type.Name}.{member.Name}' has a string [Key]; Pottery's generated formatters need integer keys";
                return null;
            }

            var memberType = member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;
            var value = Value(memberType, $"{type.Name}.{member.Name}", out problem);
            if (value is null)
            {
                return null;
            }

            members.Add(new MemberModel(index, member.Name, value, false));
        }

        if (members.Select(m => m.Key).Distinct().Count() != members.Count)
        {
            problem = $"[MessagePackObject] type '{type.Name}' uses a [Key] index twice";
            return null;
        }

        // A constructor whose parameters are all keyed members (a positional record), else a parameterless one.
        var constructor = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal)
            .Where(c => c.Parameters.All(p => members.Any(m => string.Equals(m.Name, p.Name, System.StringComparison.OrdinalIgnoreCase))))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
        if (constructor is null)
        {
            problem = $"[MessagePackObject] type '{type.Name}' needs a public parameterless constructor, or one whose parameters are its [Key] members";
            return null;
        }

        var viaConstructor = constructor.Parameters.Select(p => p.Name).ToList();
        var ordered = viaConstructor
            .Select(p => members.First(m => string.Equals(m.Name, p, System.StringComparison.OrdinalIgnoreCase)) with { ViaConstructor = true })
            .Concat(members.Where(m => !viaConstructor.Any(p => string.Equals(m.Name, p, System.StringComparison.OrdinalIgnoreCase))))
            .ToList();
        foreach (var member in ordered.Where(m => !m.ViaConstructor))
        {
            var symbol = keyed.First(k => k.Name == member.Name);
            if (symbol is IPropertySymbol { SetMethod: null } or IFieldSymbol { IsReadOnly: true })
            {
                problem = $"'{type.Name}.{member.Name}' cannot be set when reading: give it a setter or init, or take it as a constructor parameter";
                return null;
            }
        }

        _formatters[name] = new FormatterModel(name, className, ns, codec, type.IsReferenceType, new EquatableArray<MemberModel>(ordered));
        return codec;
    }

    private static bool VisibleToTheAssembly(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal || current.IsGenericType || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static string? DirectReader(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return "Bytes";
        }

        return type.SpecialType switch
        {
            SpecialType.System_Boolean => "ReadBoolean",
            SpecialType.System_Char => "ReadChar",
            SpecialType.System_SByte => "ReadSByte",
            SpecialType.System_Byte => "ReadByte",
            SpecialType.System_Int16 => "ReadInt16",
            SpecialType.System_UInt16 => "ReadUInt16",
            SpecialType.System_Int32 => "ReadInt32",
            SpecialType.System_UInt32 => "ReadUInt32",
            SpecialType.System_Int64 => "ReadInt64",
            SpecialType.System_UInt64 => "ReadUInt64",
            SpecialType.System_Single => "ReadSingle",
            SpecialType.System_Double => "ReadDouble",
            SpecialType.System_String => "ReadString",
            SpecialType.System_DateTime => "ReadDateTime",
            _ => null,
        };
    }
}

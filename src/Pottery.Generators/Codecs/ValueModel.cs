using Pottery.Generators.Model;

namespace Pottery.Generators.Codecs;

/// <summary>How a value is written with MessagePackWriter and read back.</summary>
internal enum ValueKind
{
    /// <summary>A type MessagePackWriter writes directly (numbers, bool, char, string, byte[], DateTime); <see cref="ValueModel.Method"/> names the reader method.</summary>
    Direct,
    Decimal,
    Guid,
    TimeSpan,
    DateTimeOffset,
    Enum,
    Nullable,
    Array,
    List,
    Dictionary,
    Object,
}

/// <summary>A value's shape as plain data: its C# type and what it is made of.</summary>
internal sealed record ValueModel(ValueKind Kind, string Type, bool IsReference, string? Method, EquatableArray<ValueModel> Parts);

/// <summary>One <c>[Key(n)]</c> member of a <c>[MessagePackObject]</c> type.</summary>
internal sealed record MemberModel(int Key, string Name, ValueModel Value, bool ViaConstructor);

/// <summary>
/// A generated formatter for a <c>[MessagePackObject]</c> type: a class named <c>ClassName</c>, emitted once for the
/// compilation in <c>Namespace</c>, or nested in each class that uses it when <c>Namespace</c> is null;
/// <c>Reference</c> is how other generated code names the class.
/// </summary>
internal sealed record FormatterModel(string Type, string ClassName, string? Namespace, string Reference, bool IsReference, EquatableArray<MemberModel> Members)
{
    public bool IsShared => Namespace is not null;
}

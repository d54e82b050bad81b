using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pottery.Generators;

/// <summary>Every diagnostic the generator reports, in one table; ids are stable.</summary>
internal static class PotteryDiagnostics
{
    private const string Category = "Pottery";

    // The README's diagnostics table has an anchor per id. The project has no public address yet:
    // this one is a placeholder, to be replaced with the package's repository URL once there is one.
    private const string HelpLinkBase = "https://github.com/pottery-dotnet/pottery/blob/main/README.md#";

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
        "'{0}' is generic; Pottery generates code for non-generic types and methods only: move the attribute to a non-generic one");

    public static readonly DiagnosticDescriptor InvalidBloomParameters = Error(
        "POT010",
        "Bloom filter parameters cannot size a filter",
        "[RedisBloom] on '{0}': {1} Set Capacity to at least 1 and FalsePositiveRate strictly between 0 and 1.");

    public static readonly DiagnosticDescriptor SynchronizeByRefParameter = Error(
        "POT020",
        "[Synchronize] method has a ref, out, in or pointer parameter",
        "[Synchronize] cannot wrap '{0}': parameter '{1}' is passed by reference or is a pointer or ref struct, which the lock wrapper cannot capture; pass it by value");

    public static readonly DiagnosticDescriptor SynchronizeIterator = Error(
        "POT021",
        "[Synchronize] method is an iterator",
        "[Synchronize] cannot wrap '{0}': it is an iterator ('yield'), whose body runs after the wrapper has released the lock; return a materialised collection instead");

    public static readonly DiagnosticDescriptor SynchronizeAbstract = Error(
        "POT022",
        "[Synchronize] method is abstract",
        "[Synchronize] cannot wrap '{0}': it is abstract or an interface member and has no body to run under the lock; put the attribute on an implementation");

    public static readonly DiagnosticDescriptor SynchronizeUnknownPlaceholder = Error(
        "POT023",
        "[Synchronize] key names an unknown parameter",
        "[Synchronize] on '{0}': the key's placeholder '{{{1}}}' is not a parameter of the method (parameters: {2}); use a parameter name or write '{{{{' for a literal brace");

    public static readonly DiagnosticDescriptor SynchronizeNoMasters = Error(
        "POT024",
        "[Synchronize] cannot reach the lock's masters",
        "[Synchronize] on '{0}': {1}. Add a field or property of type IDatabase or IEnumerable<IDatabase> holding the Redis masters, or name it with Masters = nameof(...)");

    public static readonly DiagnosticDescriptor SynchronizeAmbiguousMasters = Error(
        "POT025",
        "[Synchronize] finds several candidate masters",
        "[Synchronize] on '{0}': several members could hold the masters ({1}); name one with Masters = nameof(...)");

    public static readonly DiagnosticDescriptor SynchronizeBadKey = Error(
        "POT026",
        "[Synchronize] key is malformed",
        "[Synchronize] on '{0}': {1}");

    public static readonly DiagnosticDescriptor SynchronizeTimeoutWithoutBlocking = Error(
        "POT027",
        "[Synchronize] sets a timeout on a non-blocking lock",
        "[Synchronize] on '{0}': Blocking = false tries once, so TimeoutSeconds = {1} would be ignored (pottery raises ValueError: can't specify a timeout for a non-blocking call); remove TimeoutSeconds, or remove Blocking = false to wait up to the timeout");

    public static readonly DiagnosticDescriptor SynchronizeBadForm = Error(
        "POT028",
        "[Synchronize] asks for a form it cannot have",
        "[Synchronize] on '{0}': {1}");

    public static readonly DiagnosticDescriptor DictPropertyNotPartial = new(
        "POT030",
        "[RedisDict] property is not partial",
        "'{0}' is an auto-property of [RedisDict] class '{1}' but not 'partial', so it is kept in memory, not in Redis: declare it 'partial' to store it",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("POT030"));

    public static readonly DiagnosticDescriptor DictPropertyAccessors = Error(
        "POT031",
        "[RedisDict] property needs a getter and a setter",
        "[RedisDict] property '{0}' must have both 'get' and 'set' (not 'init'), with the property's own accessibility");

    public static readonly DiagnosticDescriptor NoCodec = Error(
        "POT032",
        "Type has no codec",
        "{0} has type '{1}', which Pottery has no codec for: add [JsonSerializable(typeof({1}))] to a JsonSerializerContext in this project (stored as System.Text.Json), or mark '{1}' [MessagePackObject] with integer [Key]s, or use a string, number, bool, char, enum, Guid, DateTime, DateTimeOffset, TimeSpan or byte[] (or a nullable of one)");

    public static readonly DiagnosticDescriptor DictDuplicateField = Error(
        "POT033",
        "[RedisDict] field name is not unique",
        "[RedisDict] property '{0}' uses {1}: {2}");

    public static readonly DiagnosticDescriptor DictReservedName = Error(
        "POT034",
        "[RedisDict] property name is taken by a generated member",
        "[RedisDict] property '{0}' has the name of a member Pottery generates (Key, KeyPrefix, TimeToLive, Snapshot, Load, LoadAsync, TryLoad, TryLoadAsync, Save, SaveAsync, Exists, ExistsAsync, Delete, DeleteAsync): rename the property and keep the field name with [RedisField(\"{0}\")]");

    public static readonly DiagnosticDescriptor UnsupportedMessagePackShape = Error(
        "POT035",
        "[MessagePackObject] type has a shape Pottery cannot format",
        "'{0}' cannot be stored: {1}");

    public static readonly DiagnosticDescriptor TypedDictHasBase = Error(
        "POT036",
        "[RedisDict<TKey, TValue>] class already has a base class",
        "'{0}' derives from '{1}', but [RedisDict<TKey, TValue>] makes it derive from RedisDict<TKey, TValue>: remove the base class");

    public static readonly DiagnosticDescriptor DictNeedsCSharp13 = Error(
        "POT037",
        "[RedisDict] needs C# 13 or later",
        "[RedisDict] class '{0}' is compiled as C# {1}, but its partial properties need C# 13: add <LangVersion>13</LangVersion> (or later) to the project; a net8.0 project defaults to C# 12");

    private static readonly Dictionary<string, DiagnosticDescriptor> Table = new[]
    {
        TypedDictHasBase, DictNeedsCSharp13,
        UnsupportedMessagePackShape,
        DictPropertyNotPartial, DictPropertyAccessors, NoCodec, DictDuplicateField, DictReservedName,
        NotPartial, ContainerNotPartial, GenericType, InvalidBloomParameters,
        SynchronizeByRefParameter, SynchronizeIterator, SynchronizeAbstract, SynchronizeUnknownPlaceholder,
        SynchronizeNoMasters, SynchronizeAmbiguousMasters, SynchronizeBadKey, SynchronizeTimeoutWithoutBlocking, SynchronizeBadForm,
    }.ToDictionary(descriptor => descriptor.Id);

    public static IEnumerable<DiagnosticDescriptor> All => Table.Values;

    public static DiagnosticDescriptor ById(string id) => Table[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static string HelpLink(string id) => HelpLinkBase + id.ToLowerInvariant();
}

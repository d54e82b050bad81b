using Pottery.Generators.Model;

namespace Pottery.Generators.Synchronize;

/// <summary>How a synchronized method returns.</summary>
internal enum ReturnShape
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>What a wrapper holds while the body runs.</summary>
internal enum SynchronizeForm
{
    Redlock,
    Semaphore,
    Read,
    Write,
}

/// <summary>One parameter of the wrapped method.</summary>
internal sealed record ParameterModel(string Name, string Type, bool IsCancellationToken, bool IsParams, string? DefaultValue);

/// <summary>A piece of the lock key: literal text, or a parameter formatted with its codec (<c>Codec</c> null: the runtime's built-in one).</summary>
internal sealed record KeyPart(string Text, bool IsParameter, string? ParameterType, string? Codec);

/// <summary>
/// What a <c>[Synchronize]</c> method needs generated; <c>LockField</c> names the static field that caches the lock when
/// the key has no parameters (a semaphore's when <c>Permits</c> is 1 or more), <c>CodecHolder</c> the nested class holding the key's nested MessagePack <c>Formatters</c> (of types not every class can see),
/// <c>HasUserDocs</c> whether the body's docs are the wrapper's.
/// </summary>
internal sealed record SynchronizeModel(
    TypeDeclaration Type,
    string WrapperName,
    string CoreName,
    string Accessibility,
    bool IsStatic,
    ReturnShape Shape,
    string ReturnType,
    string? ResultType,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<KeyPart> Key,
    string Masters,
    int Permits,
    SynchronizeForm Form,
    double AutoReleaseSeconds,
    bool Blocking,
    double TimeoutSeconds,
    string LockField,
    string CodecHolder,
    EquatableArray<Codecs.FormatterModel> Formatters,
    bool HasUserDocs,
    string HintName);

namespace Pottery.Generators.Model;

/// <summary>A parser's answer: a model to emit, or the diagnostics that explain why there is none.</summary>
internal sealed record Parsed<T>(T? Model, EquatableArray<DiagnosticInfo> Diagnostics)
    where T : class
{
    public static Parsed<T> Succeeded(T model) => new(model, EquatableArray<DiagnosticInfo>.Empty);

    public static Parsed<T> Failed(System.Collections.Generic.IEnumerable<DiagnosticInfo> diagnostics) => new(null, new EquatableArray<DiagnosticInfo>(diagnostics));
}

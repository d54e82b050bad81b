namespace Pottery.Generators.Model;

/// <summary>
/// A parser's answer: a model to emit, the diagnostics that explain why there is none, or both (a model that keeps the user's code compiling around what was rejected);
/// with the MessagePack formatters the model's code uses that are emitted once for the compilation, not with the model.
/// </summary>
internal sealed record Parsed<T>(T? Model, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<Codecs.FormatterModel> SharedFormatters = default)
    where T : class
{
    public static Parsed<T> Succeeded(T model) => new(model, EquatableArray<DiagnosticInfo>.Empty);

    public static Parsed<T> WithProblems(T model, System.Collections.Generic.IEnumerable<DiagnosticInfo> diagnostics) => new(model, new EquatableArray<DiagnosticInfo>(diagnostics));

    public static Parsed<T> Failed(System.Collections.Generic.IEnumerable<DiagnosticInfo> diagnostics) => new(null, new EquatableArray<DiagnosticInfo>(diagnostics));

    /// <summary>This answer with the shared formatters its model's code uses.</summary>
    public Parsed<T> Using(Codecs.MessagePackShapes shapes) => this with { SharedFormatters = new(shapes.Shared) };
}

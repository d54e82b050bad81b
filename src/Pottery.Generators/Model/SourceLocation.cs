using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Pottery.Generators.Model;

/// <summary>Where a diagnostic points, as plain data (a <see cref="Location"/> would pin a syntax tree in the cache).</summary>
internal sealed record SourceLocation(string FilePath, TextSpan Span, LinePositionSpan Lines)
{
    public static SourceLocation? From(Location? location) =>
        location is { SourceTree: not null } ? new(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;

    public Location ToLocation() => Location.Create(FilePath, Span, Lines);
}

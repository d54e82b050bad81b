using Microsoft.CodeAnalysis;

namespace Pottery.Generators.Codecs;

/// <summary>The codec expression for a type: the runtime's built-in one (<c>null</c>, letting the runtime choose) or a generated MessagePack codec.</summary>
internal static class CodecChoice
{
    /// <summary>"null" for built-in types, the generated codec's instance for [MessagePackObject] types, or null with a problem.</summary>
    public static string? Expression(ITypeSymbol type, MessagePackShapes shapes, out string? problem)
    {
        problem = null;
        if (BuiltInCodecs.Handles(type))
        {
            return "null";
        }

        if (MessagePackShapes.IsMessagePackObject(type))
        {
            return shapes.CodecFor(type, out problem) is { } codec ? codec + ".Instance" : null;
        }

        problem = $"'{type.ToDisplayString()}' has no codec: use a string, number, bool, char, enum, Guid, DateTime, DateTimeOffset, TimeSpan, byte[] (or a nullable of one) or a [MessagePackObject] type";
        return null;
    }
}

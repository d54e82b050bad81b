namespace Pottery.Generators.Model;

/// <summary>FNV-1a over a string's UTF-16 code units: the same on every run and machine, unlike <see cref="string.GetHashCode()"/>.</summary>
internal static class StableHash
{
    public static uint Of(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}

namespace Pottery.Samples.Tests;

/// <summary>
/// A copy of the sources these tests build, without bin/ and obj/. The Release publish and pack
/// restore and build the runtime; doing that in the checkout would rewrite obj/project.assets.json
/// and bin/ while <c>dotnet test</c> is still building the other test projects there.
/// </summary>
internal sealed class SourceCopy : IDisposable
{
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props", ".editorconfig"];
    private static readonly string[] Folders = ["src", "samples"];
    private static readonly HashSet<string> BuildOutputs = new(StringComparer.Ordinal) { "bin", "obj" };

    private readonly DirectoryInfo _root;

    private SourceCopy(DirectoryInfo root) => _root = root;

    /// <summary>The copy's root, laid out like the repository's.</summary>
    public string Root => _root.FullName;

    /// <summary>Copies the repository's sources into a new temporary directory.</summary>
    public static SourceCopy Create()
    {
        var repository = RepositoryRoot();
        var copy = new SourceCopy(Directory.CreateTempSubdirectory("pottery-sources-"));
        foreach (var file in RootFiles)
        {
            File.Copy(Path.Combine(repository, file), Path.Combine(copy.Root, file));
        }

        foreach (var folder in Folders)
        {
            CopyTree(new DirectoryInfo(Path.Combine(repository, folder)), Path.Combine(copy.Root, folder));
        }

        return copy;
    }

    /// <inheritdoc />
    public void Dispose() => _root.Delete(recursive: true);

    private static void CopyTree(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(target, file.Name));
        }

        foreach (var directory in source.EnumerateDirectories())
        {
            if (!BuildOutputs.Contains(directory.Name))
            {
                CopyTree(directory, Path.Combine(target, directory.Name));
            }
        }
    }

    /// <summary>The checkout this test assembly was built from.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Pottery.Generated.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException("Pottery.Generated.sln not found above " + AppContext.BaseDirectory);
    }
}

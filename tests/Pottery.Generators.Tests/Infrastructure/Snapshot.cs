namespace Pottery.Generators.Tests.Infrastructure;

/// <summary>
/// Checked-in snapshots of generated source (Verify.SourceGenerators is not served here): the
/// expected text is <c>Snapshots/&lt;name&gt;.verified.cs</c>; on a mismatch the actual text is written
/// beside it as <c>.received.cs</c> and the test fails. Accept a change by renaming the file.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string name)
    {
        var directory = Path.Combine(RepositoryRoot(), "tests", "Pottery.Generators.Tests", "Snapshots");
        var verified = Path.Combine(directory, name + ".verified.cs");
        var received = Path.Combine(directory, name + ".received.cs");
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified} yet. Review {received} and rename it to .verified.cs to accept it."
            : $"Generated source differs from {verified}; the new text is in {received}. Review the difference and rename it to accept it.");
    }

    // From the test binaries, not [CallerFilePath]: CI builds map source paths to /_/.
    private static string RepositoryRoot()
    {
        for (var directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Pottery.Generated.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No Pottery.Generated.sln above {AppContext.BaseDirectory}.");
    }
}

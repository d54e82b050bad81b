using System.Reflection;
using System.Runtime.Versioning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pottery.Generators.Tests.Infrastructure;

/// <summary>
/// What a user's project targeting net8.0 or net10.0 compiles against: that framework's reference
/// assemblies, the Pottery.dll built for it, and StackExchange.Redis' library for it. Missing
/// pieces fail the test with what to do; an API test that skipped would prove nothing.
/// </summary>
internal static class TargetFrameworkReferences
{
    public static IReadOnlyList<MetadataReference> For(string targetFramework)
    {
        var framework = ReferenceAssemblies(targetFramework).Select(path => MetadataReference.CreateFromFile(path)).ToArray();
        var pottery = MetadataReference.CreateFromFile(Pottery(targetFramework));

        // The file's own attribute says which framework it was built for, so a wrong copy cannot pass unnoticed.
        var probe = CSharpCompilation.Create("Probe", references: [.. framework, pottery]);
        var built = ((IAssemblySymbol)probe.GetAssemblyOrModuleSymbol(pottery)!).GetAttributes()
            .Single(attribute => attribute.AttributeClass?.Name == nameof(TargetFrameworkAttribute)).ConstructorArguments[0].Value;
        Assert.True(Equals(built, $".NETCoreApp,Version=v{targetFramework["net".Length..]}"), $"'{pottery.FilePath}' was built for {built}, not {targetFramework}.");

        return [.. framework, pottery, MetadataReference.CreateFromFile(StackExchangeRedis(targetFramework))];
    }

    // net10.0's reference pack ships with the SDK (dotnet/packs); net8.0's is restored into the NuGet
    // package folder, because the runtime targets net8.0 too.
    private static string[] ReferenceAssemblies(string targetFramework)
    {
        var (root, pack) = targetFramework == "net10.0"
            ? (Metadata("NetCoreTargetingPackRoot"), "Microsoft.NETCore.App.Ref")
            : (Metadata("NuGetPackageRoot"), "microsoft.netcore.app.ref");
        var major = targetFramework["net".Length..targetFramework.IndexOf('.', StringComparison.Ordinal)];
        var versions = Directory.Exists(Path.Combine(root, pack))
            ? Directory.GetDirectories(Path.Combine(root, pack), major + ".*")
                .Select(directory => (Directory: directory, Version: Version.TryParse(Path.GetFileName(directory).Split('-')[0], out var version) ? version : null))
                .Where(candidate => candidate.Version is not null && Directory.Exists(Path.Combine(candidate.Directory, "ref", targetFramework)))
                .OrderByDescending(candidate => candidate.Version)
                .ToArray()
            : [];
        if (versions.Length == 0)
        {
            throw new InvalidOperationException(
                $"No {targetFramework} reference assemblies under {Path.Combine(root, pack)}. Restore the solution (dotnet restore Pottery.Generated.sln), which downloads the net8.0 targeting pack; net10.0's comes with the .NET 10 SDK.");
        }

        return Directory.GetFiles(Path.Combine(versions[0].Directory, "ref", targetFramework), "*.dll");
    }

    private static string Pottery(string targetFramework)
    {
        var path = targetFramework == "net10.0" ? typeof(PotteryException).Assembly.Location : Metadata("Pottery." + targetFramework);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Pottery.dll for {targetFramework} is not at '{path}'. Build the test project (dotnet build tests/Pottery.Generators.Tests), which builds it.");
        }

        return path;
    }

    private static string StackExchangeRedis(string targetFramework)
    {
        if (targetFramework == "net10.0")
        {
            return typeof(StackExchange.Redis.IDatabase).Assembly.Location;
        }

        var version = typeof(StackExchange.Redis.IDatabase).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var path = Path.Combine(Metadata("NuGetPackageRoot"), "stackexchange.redis", version, "lib", targetFramework, "StackExchange.Redis.dll");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"StackExchange.Redis {version} for {targetFramework} is not at '{path}'. Restore the solution (dotnet restore Pottery.Generated.sln).");
    }

    private static string Metadata(string name) =>
        typeof(TargetFrameworkReferences).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(attribute => attribute.Key == name)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The test assembly does not name '{name}'; it is set by the PotteryTargetFrameworkPaths target of Pottery.Generators.Tests.csproj. Rebuild the test project.");
}

using Pottery.Testing.Redis;

namespace Pottery.Samples.Tests;

/// <summary>
/// The NuGet package as a user gets it: <c>dotnet pack</c> gives one package holding the runtime and
/// the generator (as an analyzer); a fresh project restoring it from a local folder feed compiles a
/// <c>[RedisDict]</c> class and runs it against redis-server, as a net8.0 (C# 13) and a net10.0 app.
/// </summary>
public sealed class PackageTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    // The kind of a portable PDB's embedded source blob (Portable PDB spec).
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Fact]
    public async Task A_project_referencing_the_package_generates_and_runs_a_RedisDict()
    {
        using var sources = SourceCopy.Create();
        var root = sources.Root;
        var work = Directory.CreateTempSubdirectory("pottery-package-");
        var version = $"0.0.0-test{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        try
        {
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            var (packed, packLog) = await ProcessRun.RunAsync("dotnet", ["pack", Path.Combine(root, "src", "Pottery.Runtime"), "-c", "Release", "-o", feed, $"-p:PackageVersion={version}", "-nologo"], root, null, Deadline);
            Assert.True(packed == 0, $"dotnet pack failed:\n{packLog}");
            var package = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
            using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToArray();
                Assert.Contains("analyzers/dotnet/cs/Pottery.Generators.dll", entries);
                Assert.Contains("lib/net8.0/Pottery.dll", entries);
                Assert.Contains("lib/net10.0/Pottery.dll", entries);
                Assert.Contains("README.md", entries);
                Assert.DoesNotContain(entries, entry => entry.EndsWith(".pdb", StringComparison.Ordinal));

                using var nuspecReader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
                var nuspec = System.Xml.Linq.XDocument.Parse(await nuspecReader.ReadToEndAsync());
                string? Element(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
                Assert.Equal("README.md", Element("readme"));
                Assert.Contains("redis", Element("tags") ?? "", StringComparison.Ordinal);
                var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).Distinct().Order().ToArray();
                // Host integration ships in the package (AddPottery, hosted consumers, health checks), and so do the RateLimiter subclasses.
                Assert.Equal(["MessagePack", "Microsoft.Extensions.Caching.Abstractions", "Microsoft.Extensions.Configuration.Binder", "Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Options", "StackExchange.Redis", "System.Threading.RateLimiting"], dependencies);

                // The PDB travels inside the assembly, sources included, so stack traces have line numbers.
                foreach (var framework in new[] { "net8.0", "net10.0" })
                {
                    using var assembly = new MemoryStream();
                    await using (var stream = zip.GetEntry($"lib/{framework}/Pottery.dll")!.Open())
                    {
                        await stream.CopyToAsync(assembly);
                    }

                    assembly.Position = 0;
                    using var pe = new System.Reflection.PortableExecutable.PEReader(assembly);
                    var embedded = pe.ReadDebugDirectory().Single(entry => entry.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.EmbeddedPortablePdb);
                    using var pdb = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
                    var reader = pdb.GetMetadataReader();
                    Assert.NotEmpty(reader.Documents);
                    Assert.Contains(reader.CustomDebugInformation, handle => reader.GetGuid(reader.GetCustomDebugInformation(handle).Kind) == EmbeddedSource);
                }
            }

            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
                    <!-- Partial properties need C# 13; net8.0 defaults to C# 12 (POT037 says so). -->
                    <LangVersion>13</LangVersion>
                    <!-- Only the .NET 10 runtime is installed here: the net8.0 build runs on it. -->
                    <RollForward>Major</RollForward>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Pottery" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
                using Pottery;
                using StackExchange.Redis;

                await using var connection = await ConnectionMultiplexer.ConnectAsync(args[0]);
                var tel = new Contact(connection.GetDatabase(), Guid.NewGuid().ToString("N")) { Name = "jack", Phone = 4098 };
                Console.WriteLine($"{tel.Key} {tel.Name} {await tel.IncrementPhoneAsync()}");
                await tel.DeleteAsync();

                [RedisDict(KeyPrefix = "package")]
                public partial class Contact
                {
                    public partial string Name { get; set; }
                    public partial long Phone { get; set; }
                }
                """);

            foreach (var framework in new[] { "net8.0", "net10.0" })
            {
                var (ran, output) = await ProcessRun.RunAsync("dotnet", ["run", "--project", app, "-f", framework, "--", redis.Server.Endpoint], app, null, Deadline);
                Assert.True(ran == 0, $"The package test app ({framework}) failed:\n{output}");
                Assert.Matches(@"package:[0-9a-f]{32} jack 4099", output);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}

using System.Text.RegularExpressions;
using Pottery.Testing.Redis;

namespace Pottery.Samples.Tests;

/// <summary>
/// samples/Pottery.Samples.Aot, published with <c>PublishAot=true</c>: no trim or AOT warning
/// (IL2xxx/IL3xxx) may appear, and the native binary must work against a real redis-server.
/// </summary>
public sealed partial class AotSampleTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan PublishDeadline = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Publishes_without_AOT_warnings_and_the_native_binary_works()
    {
        using var sources = SourceCopy.Create();
        var root = sources.Root;
        var output = Directory.CreateTempSubdirectory("pottery-aot-");
        try
        {
            var (exit, log) = await ProcessRun.RunAsync(
                "dotnet",
                ["publish", Path.Combine(root, "samples", "Pottery.Samples.Aot"), "-c", "Release", "-o", output.FullName, "-nologo"],
                root,
                null,
                PublishDeadline);
            Assert.True(exit == 0, $"dotnet publish failed:\n{log}");
            var warnings = AotWarning().Matches(log).Select(m => m.Value).Distinct().ToArray();
            Assert.True(warnings.Length == 0, $"Native AOT warnings:\n{string.Join('\n', warnings)}");

            var binary = Path.Combine(output.FullName, "Pottery.Samples.Aot");
            Assert.True(File.Exists(binary), $"No native binary at {binary}:\n{log}");
            var (code, printed) = await ProcessRun.RunAsync(
                binary,
                [],
                output.FullName,
                new Dictionary<string, string> { ["REDIS_URL"] = $"redis://{redis.Server.Endpoint}/0" },
                TimeSpan.FromMinutes(1));

            Assert.True(code == 0, $"The AOT sample exited with {code}:\n{printed}");
            Assert.Equal("AOT sample OK", printed.TrimEnd().Split('\n')[^1].Trim());
            Assert.Contains("Synchronize: order 7 shipped (lock held: True)", printed, StringComparison.Ordinal);
            Assert.Contains("Semaphore: label 7 printed (1 of 2 permits held)", printed, StringComparison.Ordinal);
            Assert.Contains("System.Text.Json: sms about sales", printed, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"warning IL[23]\d{3}[^\r\n]*")]
    private static partial Regex AotWarning();
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Samples.Tests;

/// <summary>
/// samples/Pottery.Samples.Web, started as its own process against a real redis-server and called
/// over HTTP: the [RedisDict] profile, the queue and its hosted consumer, the [Synchronize] endpoint,
/// HybridCache over Pottery, health checks and the Prometheus metrics.
/// </summary>
public sealed class WebSampleTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_web_sample_serves_every_endpoint_against_a_real_redis()
    {
        var port = FreePort.Next();
        using var app = StartSample(port, redis.Endpoint, out var output);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Deadline };
        try
        {
            await Eventually.SucceedsAsync(async () => (await http.GetAsync("/health")).EnsureSuccessStatusCode(), Deadline);
            Assert.Equal("Healthy", await http.GetStringAsync("/health"));

            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/profiles/jack")).StatusCode);
            (await http.PutAsJsonAsync("/profiles/jack", new { name = "Jack", visits = 3 })).EnsureSuccessStatusCode();
            Assert.Equal("4", await (await http.PostAsync("/profiles/jack/visits", null)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            var profile = await http.GetFromJsonAsync<Dictionary<string, object>>("/profiles/jack");
            Assert.Equal("Jack", profile!["name"].ToString());
            Assert.Equal("4", profile["visits"].ToString());
            Assert.Equal("Jack", await redis.Database.HashGetAsync("web:profile:jack", "Name"));

            (await http.PostAsJsonAsync("/emails", new { to = "jack@example.com" })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/emails", new { to = "jill@example.com" })).EnsureSuccessStatusCode();
            var sent = await Eventually.SucceedsAsync(
                async () =>
                {
                    var list = await http.GetFromJsonAsync<string[]>("/emails/sent");
                    Assert.Equal(2, list!.Length);
                    return list;
                },
                Deadline);
            Assert.Equal(["jack@example.com", "jill@example.com"], sent.Order());

            Assert.Equal("\"order 7 shipped\"", await (await http.PostAsync("/orders/7/ship", null)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            Assert.Equal("\"order 7 was already shipped\"", await (await http.PostAsync("/orders/7/ship", null)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());

            var quote = await http.GetStringAsync("/quotes/msft");
            Assert.Equal(quote, await http.GetStringAsync("/quotes/msft"));
            // HybridCache writes its second level after answering.
            await Eventually.SucceedsAsync(
                async () =>
                {
                    Assert.True(await redis.Database.KeyExistsAsync("web:quote:msft"), "HybridCache stored the quote in Redis through Pottery");
                    return true;
                },
                Deadline);

            var limited = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                limited.Add((await http.GetAsync("/limited")).StatusCode);
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], limited);
            Assert.Equal(RedisType.Hash, await redis.Database.KeyTypeAsync("web:rate:127.0.0.1"));

            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("pottery_", metrics, StringComparison.Ordinal);
        }
        catch (Exception error)
        {
            throw new InvalidOperationException($"{error.Message}\nThe sample printed:\n{output}", error);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static Process StartSample(int port, string redisEndpoint, out StringBuilder output)
    {
        // This assembly runs from bin/<configuration>/net10.0/: the sample was built with the same configuration.
        var configuration = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;
        var directory = Path.Combine(SourceCopy.RepositoryRoot(), "samples", "Pottery.Samples.Web", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "Pottery.Samples.Web.dll"));
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Pottery__ConnectionString"] = redisEndpoint;
        var printed = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (printed) { printed.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (printed) { printed.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = printed;
        return process;
    }
}

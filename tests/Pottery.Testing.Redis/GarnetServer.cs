using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// One real Garnet server (Microsoft's Redis-compatible store, the <c>garnet-server</c> dotnet tool) on
/// a free loopback port, with Lua enabled and atomic (<c>--lua --lua-transaction-mode</c>), small memory and no persistence.
/// <c>scripts/test.sh</c> installs the tool (<c>scripts/ensure-garnet-server.sh</c>).
/// </summary>
public sealed class GarnetServer : IAsyncDisposable, IDisposable
{
    /// <summary>The environment variable that names a specific garnet-server executable.</summary>
    public const string PathVariable = "GARNET_SERVER_PATH";

    private const string ReadyLine = "Ready to accept connections";
    private const int PortAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly ConcurrentDictionary<GarnetServer, bool> Live = new();

    private readonly Process _process;

    static GarnetServer()
    {
        // As RedisServer does: SIGKILL for every server first, since an ending test host has little time.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Live.Keys)
            {
                try
                {
                    server._process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }

            foreach (var server in Live.Keys)
            {
                server.Dispose();
            }
        };
    }

    private GarnetServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The endpoint in StackExchange.Redis notation, <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts Garnet on a free port and waits (with a deadline) until it accepts connections.</summary>
    /// <returns>The running server.</returns>
    /// <exception cref="RedisServerNotFoundException">garnet-server is not installed.</exception>
    public static async Task<GarnetServer> StartAsync()
    {
        var executable = FindExecutable();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var (process, output, started) = Launch(executable, port);
            try
            {
                await started.WaitAsync(StartTimeout).ConfigureAwait(false);
                var server = new GarnetServer(process, port);
                Live[server] = true;
                return server;
            }
            catch (Exception error) when (error is InvalidOperationException or TimeoutException)
            {
                Stop(process);
                var log = string.Join(Environment.NewLine, output);
                if (attempt < PortAttempts && log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                throw new InvalidOperationException($"garnet-server on port {port} did not start ({error.Message}). Its output:{Environment.NewLine}{log}", error);
            }
        }
    }

    /// <summary>Client options for this server; commands fail at once while it is down.</summary>
    /// <returns>A fresh options object the caller may change.</returns>
    public ConfigurationOptions Options() => TestClientOptions.For([Endpoint]);

    /// <summary>Opens a client connection to this server.</summary>
    /// <returns>The connection.</returns>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(Options());

    /// <summary>Finds garnet-server: <c>GARNET_SERVER_PATH</c>, the <c>PATH</c>, or the global dotnet tools folder.</summary>
    /// <returns>Its full path.</returns>
    /// <exception cref="RedisServerNotFoundException">There is none.</exception>
    public static string FindExecutable()
    {
        var explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? explicitPath : throw NotFound($"{PathVariable}={explicitPath} does not exist");
        }

        var toolsFolder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append(toolsFolder);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, "garnet-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw NotFound($"not on PATH nor in {toolsFolder}, and {PathVariable} is not set");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Live.TryRemove(this, out _);
        Stop(_process);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static RedisServerNotFoundException NotFound(string searched) => new(
        "garnet-server",
        searched + "; install it with 'bash scripts/ensure-garnet-server.sh' (dotnet tool install -g garnet-server)");

    private static (Process Process, ConcurrentQueue<string> Output, Task Started) Launch(string executable, int port)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--lua",
            // Without it Garnet runs scripts without locking their keys, so two scripts interleave;
            // Pottery's multi-step writes rely on a script being atomic, as in Redis.
            "--lua-transaction-mode",
            // Garnet reserves its whole log memory up front; tests need little.
            "--memory", "128m",
            "--index", "16m",
            "--logger-level", "Warning",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ServerProcess.Start(start, ReadyLine, "garnet-server");
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        process.Dispose();
    }
}

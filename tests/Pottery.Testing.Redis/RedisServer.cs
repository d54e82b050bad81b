using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// One real <c>redis-server</c> process on a free loopback port, with persistence off, in its
/// own temporary directory. Faults can be injected: <see cref="Kill"/> (SIGKILL),
/// <see cref="Pause"/>/<see cref="Resume"/> (SIGSTOP/SIGCONT) and <see cref="RestartAsync"/>
/// on the same port, so connected clients reconnect to it. Started with
/// <c>--appendonly yes --appendfsync always</c>, a restarted server reloads every write it acknowledged.
/// </summary>
public sealed class RedisServer : IAsyncDisposable, IDisposable
{
    private const string ReadyLine = "Ready to accept connections";
    private const int PortAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly ConcurrentDictionary<RedisServer, bool> Live = new();

    private readonly string _executable;
    private readonly string _directory;
    private readonly IReadOnlyList<string> _extraArguments;
    private Process? _process;
    private bool _paused;

    static RedisServer()
    {
        // A test host that ends without disposing its fixtures (shared servers are never disposed) must not
        // leave servers behind. The test platform gives an ending host little time, so every server gets
        // SIGKILL first, at once; the slower clean-up (waiting, deleting directories) may then be cut short.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Live.Keys)
            {
                server.KillNow();
            }

            foreach (var server in Live.Keys)
            {
                server.Dispose();
            }
        };
    }

    private RedisServer(string executable, int port, IReadOnlyList<string> extraArguments)
    {
        _executable = executable;
        _extraArguments = extraArguments;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("pottery-redis-").FullName;
    }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The endpoint in StackExchange.Redis notation, <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The operating-system process id of the current server process.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>Whether a server process is alive (paused counts as alive).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Whether the server is stopped with SIGSTOP.</summary>
    public bool IsPaused => _paused;

    /// <summary>Starts a server on a free port and waits until it accepts connections.</summary>
    /// <param name="extraArguments">More <c>redis-server</c> options, e.g. <c>--cluster-enabled yes</c>.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="RedisServerNotFoundException">No redis-server executable is installed.</exception>
    public static Task<RedisServer> StartAsync(params string[] extraArguments) => StartAsync(() => extraArguments);

    /// <summary>Starts a server on a free port, with options made afresh for each try (ports among them).</summary>
    /// <param name="extraArguments">Makes the more <c>redis-server</c> options of one try; a taken port found in them is chosen again too.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="RedisServerNotFoundException">No redis-server executable is installed.</exception>
    public static async Task<RedisServer> StartAsync(Func<string[]> extraArguments)
    {
        ArgumentNullException.ThrowIfNull(extraArguments);
        var executable = RedisServerBinary.Find();
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(executable, FreePort.Next(), extraArguments());
            try
            {
                await server.LaunchAsync().ConfigureAwait(false);
                return server;
            }
            catch (PortTakenException) when (attempt < PortAttempts)
            {
                // Another process took the port between our probe and redis' bind: try another.
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>Opens a client connection to this server (admin commands allowed; reconnects after restarts).</summary>
    /// <returns>The connection.</returns>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(Options());

    /// <summary>Opens a client connection with <see cref="Options"/> changed by <paramref name="configure"/> (a shorter timeout, say).</summary>
    /// <param name="configure">Changes the options before connecting.</param>
    /// <returns>The connection.</returns>
    public Task<ConnectionMultiplexer> ConnectAsync(Action<ConfigurationOptions> configure)
    {
        var options = Options();
        configure(options);
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>
    /// Client options for this server. Commands fail at once while the server is down instead
    /// of waiting in StackExchange.Redis' backlog, so fault tests do not wait for timeouts.
    /// </summary>
    /// <returns>A fresh options object the caller may change.</returns>
    public ConfigurationOptions Options() => TestClientOptions.For([Endpoint]);

    /// <summary>Kills the server abruptly (SIGKILL), as a crash would, and waits until it is gone.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit();
            process.Dispose();
            _process = null;
            _paused = false;
        }
    }

    /// <summary>Sends SIGKILL without waiting for the process to go.</summary>
    private void KillNow()
    {
        try
        {
            _process?.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open but nothing is answered.</summary>
    public void Pause()
    {
        Signals.Stop(ProcessId);
        _paused = true;
    }

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public void Resume()
    {
        Signals.Continue(ProcessId);
        _paused = false;
    }

    /// <summary>
    /// Kills the server if it runs, then starts a new one on the same port, in the same directory and
    /// with the same options: empty, unless persistence was turned on, whose files it then loads.
    /// </summary>
    /// <returns>A task that completes when the new server accepts connections.</returns>
    public async Task RestartAsync()
    {
        Kill();
        await LaunchAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_paused && IsRunning)
        {
            Resume();
        }

        Kill();
        Live.TryRemove(this, out _);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless; failing a test run over it is not.
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var (process, log, ready) = ServerProcess.Start(start, ReadyLine, "redis-server");
        _process = process;
        Live[this] = true;

        try
        {
            await ready.WaitAsync(StartTimeout).ConfigureAwait(false);
        }
        catch (Exception error) when (error is InvalidOperationException or TimeoutException)
        {
            // Kill waits for the process and for its output to drain, so the log is complete.
            Kill();
            var output = string.Join(Environment.NewLine, log);
            if (output.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new PortTakenException();
            }

            throw new InvalidOperationException($"redis-server on port {Port} did not start ({error.Message}). Its output:{Environment.NewLine}{output}", error);
        }
    }

    private IEnumerable<string> Arguments()
    {
        string[] fixedArguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _directory,
            "--save", string.Empty,
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "no",
            "--logfile", string.Empty,
        ];
        return fixedArguments.Concat(_extraArguments);
    }

    private sealed class PortTakenException : Exception;
}

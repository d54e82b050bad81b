using System.Runtime.CompilerServices;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Pottery.Testing.Redis;

/// <summary>
/// Records the commands one async flow sends on a connection (StackExchange.Redis profiling), so a
/// test can assert how many round trips an operation takes even while other tests share the
/// connection. Commands StackExchange.Redis sends on its own (heartbeats) are not in the log.
/// </summary>
public sealed class CommandLog : IDisposable
{
    private static readonly AsyncLocal<ProfilingSession?> Current = new();
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, object> Registered = new();

    private readonly ProfilingSession _session;
    private IReadOnlyList<string>? _commands;

    private CommandLog(ProfilingSession session) => _session = session;

    /// <summary>Starts recording the commands the calling flow sends on <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection to watch.</param>
    /// <returns>The log; read <see cref="Commands"/> after the operation.</returns>
    public static CommandLog Start(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (Registered)
        {
            if (!Registered.TryGetValue(connection, out _))
            {
                connection.RegisterProfiler(() => Current.Value);
                Registered.Add(connection, new object());
            }
        }

        var session = new ProfilingSession();
        Current.Value = session;
        return new CommandLog(session);
    }

    /// <summary>The commands sent since <see cref="Start"/>, in order, upper-case (<c>HSET</c>, <c>EVALSHA</c>); reading stops the log.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            if (_commands is null)
            {
                Current.Value = null;
                _commands = _session.FinishProfiling().OrderBy(c => c.CommandCreated).Select(c => c.Command.ToUpperInvariant()).ToArray();
            }

            return _commands;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _ = Commands;
}

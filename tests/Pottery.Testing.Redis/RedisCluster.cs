using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Pottery.Testing.Redis;

/// <summary>
/// A real Redis Cluster on loopback: <see cref="NodeCount"/> <c>redis-server</c> processes in cluster mode
/// (three masters, one replica each), joined with <c>redis-cli --cluster create … --cluster-replicas 1</c>.
/// Each node has its own port, cluster-bus port, directory and <c>nodes.conf</c>; a short node timeout
/// lets a replica take over within seconds after its master is killed.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    /// <summary>How many nodes: three masters and a replica for each.</summary>
    public const int NodeCount = 6;

    /// <summary>How long a node may be silent before the others count it as failed (<c>cluster-node-timeout</c>).</summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromMilliseconds(1000);

    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(60);

    private RedisCluster(IReadOnlyList<RedisServer> nodes, ConnectionMultiplexer connection)
    {
        Nodes = nodes;
        Connection = connection;
    }

    /// <summary>The node processes, in start order (masters and replicas as <c>redis-cli</c> assigned them).</summary>
    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>A cluster-aware connection to all nodes (admin commands allowed).</summary>
    public ConnectionMultiplexer Connection { get; }

    /// <summary>Database 0 of the cluster (the only one a cluster has).</summary>
    public IDatabase Database => Connection.GetDatabase();

    /// <summary>Starts the nodes, forms the cluster, waits until every node reports <c>cluster_state:ok</c>, and connects.</summary>
    /// <returns>The running cluster.</returns>
    /// <exception cref="RedisServerNotFoundException">redis-server or redis-cli is not installed.</exception>
    /// <exception cref="TimeoutException">The cluster did not become healthy in time.</exception>
    public static async Task<RedisCluster> StartAsync()
    {
        var cli = RedisServerBinary.FindCli();
        var starts = Enumerable.Range(0, NodeCount).Select(_ => StartNodeAsync()).ToArray();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
            var nodes = starts.Select(s => s.Result).ToArray();
            await CreateAsync(cli, nodes).ConfigureAwait(false);
            await WaitUntilHealthyAsync(nodes, FormTimeout).ConfigureAwait(false);
            var connection = await ConnectionMultiplexer.ConnectAsync(Options(nodes)).ConfigureAwait(false);
            return new RedisCluster(nodes, connection);
        }
        catch
        {
            foreach (var started in starts.Where(s => s.IsCompletedSuccessfully))
            {
                started.Result.Dispose();
            }

            throw;
        }
    }

    /// <summary>Client options for the whole cluster; commands fail at once while a node is down, as with <see cref="RedisServer.Options"/>.</summary>
    /// <returns>A fresh options object the caller may change.</returns>
    public ConfigurationOptions Options() => Options(Nodes);

    /// <summary>The running node that is the master serving <paramref name="key"/>'s hash slot, as the cluster says now.</summary>
    /// <param name="key">A key.</param>
    /// <returns>The node.</returns>
    public RedisServer MasterFor(RedisKey key)
    {
        var slot = Connection.HashSlot(key);
        foreach (var node in Nodes.Where(n => n.IsRunning && !n.IsPaused))
        {
            var nodes = Connection.GetServer(node.Endpoint).ClusterNodes();
            var owner = nodes?.GetBySlot(slot);
            if (owner is { IsFail: false, IsReplica: false })
            {
                return Nodes.Single(n => owner.EndPoint?.ToString() == n.Endpoint || owner.EndPoint?.ToString() == $"127.0.0.1:{n.Port}");
            }
        }

        throw new InvalidOperationException($"No running node knows the master of slot {slot}.");
    }

    /// <summary>Waits until every running node reports <c>cluster_state:ok</c> with all 16384 slots served.</summary>
    /// <param name="deadline">How long to wait.</param>
    /// <returns>A task that completes when the cluster is healthy.</returns>
    /// <exception cref="TimeoutException">It did not become healthy in time.</exception>
    public Task WaitUntilHealthyAsync(TimeSpan deadline) => WaitUntilHealthyAsync(Nodes.Where(n => n.IsRunning).ToArray(), deadline);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Nodes first, each on its own, so a failure cannot leave a process behind.
        List<Exception> errors = [];
        foreach (var node in Nodes)
        {
            try
            {
                node.Dispose();
            }
            catch (Exception error)
            {
                errors.Add(error);
            }
        }

        await Connection.DisposeAsync().ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new AggregateException("Not every cluster node stopped cleanly.", errors);
        }
    }

    // Made afresh for each try: the bus port, like the node's, may be taken before redis binds it.
    private static Task<RedisServer> StartNodeAsync() => RedisServer.StartAsync(() =>
        [
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            // Ephemeral ports plus 10000 may exceed 65535, so the bus gets a free port of its own.
            "--cluster-port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            "--cluster-node-timeout", ((int)NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            // A replica whose master just died may always take over, however stale (the tests kill masters on purpose).
            "--cluster-replica-validity-factor", "0",
        ]);

    private static async Task CreateAsync(string cli, IReadOnlyList<RedisServer> nodes)
    {
        var start = new ProcessStartInfo(cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add("create");
        foreach (var node in nodes)
        {
            start.ArgumentList.Add(node.Endpoint);
        }

        start.ArgumentList.Add("--cluster-replicas");
        start.ArgumentList.Add("1");
        start.ArgumentList.Add("--cluster-yes");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(FormTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"redis-cli --cluster create did not finish within {FormTimeout.TotalSeconds} s:{Environment.NewLine}{await output.ConfigureAwait(false)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed ({process.ExitCode}):{Environment.NewLine}{await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }

    private static async Task WaitUntilHealthyAsync(IReadOnlyList<RedisServer> nodes, TimeSpan deadline)
    {
        var giveUpAt = DateTime.UtcNow + deadline;
        var connections = await Task.WhenAll(nodes.Select(n => n.ConnectAsync())).ConfigureAwait(false);
        try
        {
            var last = string.Empty;
            while (true)
            {
                var healthy = true;
                foreach (var connection in connections)
                {
                    try
                    {
                        var info = (string?)await connection.GetDatabase().ExecuteAsync("CLUSTER", "INFO").ConfigureAwait(false) ?? string.Empty;
                        if (!info.Contains("cluster_state:ok", StringComparison.Ordinal) || !info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal))
                        {
                            healthy = false;
                            last = info;
                        }
                    }
                    catch (RedisException error)
                    {
                        healthy = false;
                        last = error.Message;
                    }
                }

                if (healthy)
                {
                    return;
                }

                if (DateTime.UtcNow > giveUpAt)
                {
                    throw new TimeoutException($"The Redis Cluster was not healthy within {deadline.TotalSeconds} s; last CLUSTER INFO:{Environment.NewLine}{last}");
                }

                await Task.Delay(50).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static ConfigurationOptions Options(IEnumerable<RedisServer> nodes) => TestClientOptions.For(nodes.Select(node => node.Endpoint));
}

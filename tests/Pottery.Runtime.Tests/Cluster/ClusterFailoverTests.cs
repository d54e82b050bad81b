using System.Collections.Concurrent;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.Cluster;

/// <summary>
/// A cluster master killed (SIGKILL, by pid) while a list is written and a fenced lock is cycled on
/// keys of its slots. The cluster is this class's own.
/// </summary>
/// <remarks>
/// Replication is asynchronous, so a write the master answered may die with it. A write counts as
/// acknowledged here when it returned and then <c>WAIT 1</c> on the same master said a replica has it:
/// that is the guarantee Redis Cluster gives, and what an application that must not lose writes asks for.
/// </remarks>
public sealed class ClusterFailoverTests(RedisClusterFixture redis, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_a_master_loses_no_acknowledged_write_and_fencing_tokens_never_go_backwards()
    {
        var cluster = redis.Cluster;
        var slot = TestKeys.SlotTag();
        var listKey = TestKeys.Unique(slot + "writes");
        using var list = new RedisList<long>(cluster.Database, listKey);
        var redlock = new Redlock(slot + "lock", cluster.Database, TimeSpan.FromSeconds(2)) { Fenced = true };
        var victim = cluster.MasterFor(listKey);
        Assert.Equal(victim.Port, cluster.MasterFor(redlock.Key).Port);

        var acknowledged = new ConcurrentQueue<long>();
        var written = 0;
        var tokens = new ConcurrentQueue<long>();
        var typedErrors = new ConcurrentQueue<Exception>();
        var otherErrors = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource(Deadline);

        async Task WriteAsync()
        {
            for (long i = 1; !stop.IsCancellationRequested; i++)
            {
                var master = cluster.Connection.GetServer(listKey);
                try
                {
                    await list.AddAsync(i);
                    Interlocked.Increment(ref written);
                }
                catch (Exception error)
                {
                    (error is PotteryException ? typedErrors : otherErrors).Enqueue(error);
                    await Task.Delay(20);
                    continue;
                }

                // The test's own WAIT is no Pottery call: when it fails (the node died, or is a replica
                // by now) the write is simply not counted as acknowledged.
                try
                {
                    var replicas = (long)await master.ExecuteAsync("WAIT", "1", "1000");
                    if (replicas >= 1 && Equals(master.EndPoint, cluster.Connection.GetServer(listKey).EndPoint))
                    {
                        acknowledged.Enqueue(i);
                    }
                }
                catch (RedisException)
                {
                    await Task.Delay(20);
                }
            }
        }

        async Task LockAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var handle = await redlock.AcquireAsync(TimeSpan.FromSeconds(3));
                    tokens.Enqueue(handle.FencingToken);
                }
                catch (Exception error)
                {
                    (error is PotteryException or TimeoutException ? typedErrors : otherErrors).Enqueue(error);
                    await Task.Delay(20);
                }
            }
        }

        string Progress() => $"Written {Volatile.Read(ref written)}, acknowledged {acknowledged.Count}, tokens {tokens.Count}, typed errors {typedErrors.Count} (last: {typedErrors.LastOrDefault()?.Message}), other errors {otherErrors.Count}.";

        var workers = new[] { Task.Run(WriteAsync), Task.Run(LockAsync) };
        try
        {
            await WaitForAsync(() => acknowledged.Count >= 50 && tokens.Count >= 10, "writes and locks before the kill", Progress);
            output.WriteLine($"writes and locks before the kill: {Progress()}");

            victim.Kill();
            var (writesAtKill, tokensAtKill) = (Volatile.Read(ref written), tokens.Count);
            await WaitForAsync(() => cluster.Nodes.Where(n => n.IsRunning).All(n => n.Port != victim.Port) && SafeMasterFor(cluster, listKey) is { } m && m.Port != victim.Port, "a replica promoted", Progress);
            output.WriteLine($"a replica promoted: {Progress()}");
            await cluster.WaitUntilHealthyAsync(Deadline);
            await WaitForAsync(() => Volatile.Read(ref written) >= writesAtKill + 20 && tokens.Count >= tokensAtKill + 5, "writes and locks after the promotion", Progress);
            output.WriteLine($"writes and locks after the promotion: {Progress()}");

            // The promoted replica has no replica of its own until the killed node comes back and follows it:
            // only then can a write be acknowledged by a replica again.
            var acknowledgedBeforeRestart = acknowledged.Count;
            await victim.RestartAsync();
            await WaitForAsync(() => acknowledged.Count >= acknowledgedBeforeRestart + 20, "write acknowledged by a replica after the killed node rejoined", Progress);
            output.WriteLine($"write acknowledged by a replica after the killed node rejoined: {Progress()}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        Assert.Empty(otherErrors.Select(e => e.GetType().Name + ": " + e.Message));
        foreach (var kind in typedErrors.GroupBy(e => e.GetType().Name))
        {
            output.WriteLine($"{kind.Count()} × {kind.Key}, e.g. {kind.First().Message}");
        }

        var stored = (await list.GetRangeAsync(..)).ToHashSet();
        var lost = acknowledged.Where(i => !stored.Contains(i)).ToArray();
        Assert.Empty(lost);
        var issued = tokens.ToArray();
        Assert.All(issued.Zip(issued.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"fencing token {pair.Second} followed {pair.First}"));
    }

    private static RedisServer? SafeMasterFor(RedisCluster cluster, RedisKey key)
    {
        try
        {
            return cluster.MasterFor(key);
        }
        catch (Exception error) when (error is RedisException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, Func<string>? state = null)
    {
        var giveUpAt = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException($"No {what} within {Deadline.TotalSeconds} s. {state?.Invoke()}");
            }

            await Task.Delay(50);
        }
    }
}

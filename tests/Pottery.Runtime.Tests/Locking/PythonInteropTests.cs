using System.Diagnostics;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>A Python process speaking pottery's protocol (SET NX PX on redlock:&lt;key&gt;, random token) and .NET exclude each other.</summary>
public sealed class PythonInteropTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string Interpreter = "/usr/bin/python3";

    // Takes the lock as pottery does, holds it until told on stdin, releases it, then tries once more.
    private const string PotteryClient = """
        import sys, uuid, redis
        r = redis.Redis(port=int(sys.argv[1]))
        key = 'redlock:' + sys.argv[2]
        token = uuid.uuid4().hex
        print('ACQUIRED' if r.set(key, token, nx=True, px=10000) else 'BUSY', flush=True)
        sys.stdin.readline()
        r.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, key, token)
        print('RELEASED', flush=True)
        sys.stdin.readline()
        print('ACQUIRED' if r.set(key, uuid.uuid4().hex, nx=True, px=10000) else 'BUSY', flush=True)
        """;

    [Fact]
    public async Task A_python_pottery_client_and_dotnet_exclude_each_other()
    {
        Assert.True(PythonHasRedis(), $"{Interpreter} with the redis module is needed: sudo apt-get install python3-redis (scripts/test.sh installs it when run as root).");
        var name = TestKeys.Unique("lock").ToString();
        var redlock = new Redlock(name, redis.Database);
        using var python = Process.Start(new ProcessStartInfo(Interpreter)
        {
            ArgumentList = { "-c", PotteryClient, redis.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), name },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var timeout = TimeSpan.FromSeconds(30);

        Assert.Equal("ACQUIRED", await python.StandardOutput.ReadLineAsync().WaitAsync(timeout));
        Assert.Null(await redlock.TryAcquireAsync());

        await python.StandardInput.WriteLineAsync();
        await python.StandardInput.FlushAsync();
        Assert.Equal("RELEASED", await python.StandardOutput.ReadLineAsync().WaitAsync(timeout));
        var held = await redlock.TryAcquireAsync();
        Assert.NotNull(held);

        await python.StandardInput.WriteLineAsync();
        await python.StandardInput.FlushAsync();
        Assert.Equal("BUSY", await python.StandardOutput.ReadLineAsync().WaitAsync(timeout));
        await held.ReleaseAsync();
        await python.WaitForExitAsync().WaitAsync(timeout);
    }

    private static bool PythonHasRedis()
    {
        if (!File.Exists(Interpreter))
        {
            return false;
        }

        using var probe = Process.Start(new ProcessStartInfo(Interpreter) { ArgumentList = { "-c", "import redis" }, RedirectStandardError = true, UseShellExecute = false })!;
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Locking;

public sealed class QuorumWatchTests(RedisMastersFixture masters) : IClassFixture<RedisMastersFixture>
{
    [Fact]
    public async Task A_call_that_lost_its_script_counts_as_pending_until_its_resend_answers()
    {
        var databases = masters.Databases.Take(3).ToArray();
        var key = TestKeys.Unique("lock");
        var lost = new TaskCompletionSource<RedisResult>();
        var calls = new Task<RedisResult>[] { lost.Task, Task.FromResult(RedisResult.Create(0)), Task.FromResult(RedisResult.Create(0)) };
        QuorumWatch? watch = null;
        RoundTally? seen = null;

        // Registered before the watch's own continuation, so it runs first: the moment a caller resuming on another thread could see.
        _ = lost.Task.ContinueWith(_ => seen = watch!.Tally(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        watch = QuorumWatch.Start(databases, RedlockScripts.Release, [key], ["not-the-token", RedisValue.EmptyString], calls, 2, master => (long)calls[master].Result == 1);
        lost.SetException(await Assert.ThrowsAsync<RedisServerException>(() => databases[0].ScriptEvaluateAsync(new byte[20], [key])));

        Assert.Equal(1, seen?.Pending);
        Assert.Equal(0, seen?.Failed);
        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(30));
        var tally = watch.Tally();
        Assert.Equal((0, 3, 0, 0), (tally.Agreed, tally.Refused, tally.Failed, tally.Pending));
    }
}

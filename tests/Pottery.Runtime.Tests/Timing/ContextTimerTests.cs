namespace Pottery.Runtime.Tests.Timing;

public sealed class ContextTimerTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void Elapsed_grows_while_running_and_freezes_when_stopped()
    {
        var timer = new ContextTimer();
        timer.Start();
        Thread.Sleep(Step);
        var running = timer.ElapsedMilliseconds;
        timer.Stop();
        var stopped = timer.Elapsed;
        Thread.Sleep(Step);

        Assert.True(running >= 45, $"elapsed {running} ms after sleeping 50 ms");
        Assert.True(stopped.TotalMilliseconds >= running);
        Assert.Equal(stopped, timer.Elapsed);
        Assert.False(timer.IsRunning);
    }

    [Fact]
    public void As_a_scope_it_stops_when_disposed()
    {
        ContextTimer timer;
        using (timer = ContextTimer.StartNew())
        {
            Assert.True(timer.IsRunning);
            Thread.Sleep(Step);
        }

        var atEnd = timer.Elapsed;
        Thread.Sleep(Step);

        Assert.False(timer.IsRunning);
        Assert.Equal(atEnd, timer.Elapsed);
        Assert.True(atEnd >= TimeSpan.FromMilliseconds(45), $"scope of 50 ms measured {atEnd.TotalMilliseconds} ms");
    }

    [Fact]
    public void Misuse_is_reported_like_pottery_does()
    {
        var timer = new ContextTimer();
        Assert.Throws<InvalidOperationException>(() => timer.Elapsed);
        Assert.Throws<InvalidOperationException>(timer.Stop);

        timer.Start();
        Assert.Throws<InvalidOperationException>(timer.Start);

        timer.Stop();
        Assert.Throws<InvalidOperationException>(timer.Stop);
        Assert.Throws<InvalidOperationException>(timer.Start);
        timer.Dispose();
    }
}

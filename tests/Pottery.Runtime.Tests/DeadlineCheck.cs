using Xunit.Abstractions;

namespace Pottery.Runtime.Tests;

/// <summary>Times a call against its deadline (see <see cref="DeadlineClock"/>) and checks the bound, for the deadline tests.</summary>
internal static class DeadlineCheck
{
    /// <summary>Runs <paramref name="call"/>, keeping the Pottery or timeout error it ends with.</summary>
    /// <returns>The error, if any, and how long the call took.</returns>
    public static async Task<(Exception? Error, TimeSpan Took)> TimedAsync(Func<Task> call)
    {
        var clock = DeadlineClock.Start();
        Exception? error = null;
        try
        {
            // A bound of its own, so a call that hangs fails the test rather than the run.
            await call().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception caught) when (caught is PotteryException or TimeoutException)
        {
            error = caught;
        }

        return (error, clock.Took);
    }

    /// <summary>Reports how long <paramref name="what"/> took and fails when it took longer than <paramref name="bound"/>.</summary>
    public static void Within(ITestOutputHelper output, TimeSpan bound, TimeSpan took, string what)
    {
        output.WriteLine($"{what}: took {took.TotalMilliseconds:F0} ms; bound {bound.TotalMilliseconds:F0} ms");
        Assert.True(took <= bound, $"{what} took {took.TotalMilliseconds:F0} ms; its bound is {bound.TotalMilliseconds:F0} ms.");
    }
}

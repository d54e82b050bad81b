using System.Threading.RateLimiting;
using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.RateLimiting;

/// <summary>Waits until an <c>AcquireAsync</c> that was refused at first has joined the limiter's queue.</summary>
internal static class Queued
{
    public static Task UntilAsync(RateLimiter limiter, long permits) =>
        Eventually.SucceedsAsync(
            () =>
            {
                Assert.Equal(permits, limiter.GetStatistics()!.CurrentQueuedCount);
                return Task.FromResult(true);
            },
            TimeSpan.FromSeconds(30));
}

using System.Diagnostics;

namespace Pottery.Runtime.Tests;

/// <summary>
/// Times a call measured against its deadline. It starts from a fully collected heap, so a garbage
/// collection left over from earlier tests is unlikely to fall inside the call; the time the runtime
/// still spends with every thread stopped for a collection is reported apart and not counted, since
/// it stops Pottery's timers and everything else alike.
/// </summary>
internal readonly struct DeadlineClock
{
    private readonly long _start;
    private readonly TimeSpan _pausedBefore;

    private DeadlineClock(long start, TimeSpan pausedBefore) => (_start, _pausedBefore) = (start, pausedBefore);

    /// <summary>How long since <see cref="Start"/>, collection pauses included.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>How long the runtime paused every thread for collections since <see cref="Start"/>.</summary>
    public TimeSpan CollectionPauses => GC.GetTotalPauseDuration() - _pausedBefore;

    /// <summary>How long the call took, not counting collection pauses.</summary>
    public TimeSpan Took => Elapsed - CollectionPauses;

    /// <summary>Collects the heap, then starts timing.</summary>
    public static DeadlineClock Start()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new(Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Pottery.Benchmarks.Paired;

/// <summary>
/// Runs each <see cref="Pair"/> as alternating rounds in one process, and reports the median of the
/// per-round ratios. On a machine whose speed drifts by tens of percent from minute to minute (as
/// this project's 2-core build machine does), two BenchmarkDotNet benchmarks run minutes apart
/// measure the drift as much as the code; a ratio taken within each round, with the order
/// alternating, cancels most of it. BenchmarkDotNet remains the tool for absolute numbers.
/// </summary>
internal static class PairedRunner
{
    private static readonly TimeSpan RoundLength = TimeSpan.FromMilliseconds(150);

    /// <summary>Runs the groups matching <paramref name="filters"/> (all when empty).</summary>
    /// <param name="filters">Substrings of group names.</param>
    /// <param name="rounds">Measured rounds per pair.</param>
    /// <param name="interleaved">
    /// Alternate the two sides call by call within a round (timing each call) instead of running
    /// each side as one block: both then live through the same microsecond-scale conditions, which a
    /// one-call-at-a-time pair needs when the difference sought is smaller than the drift between
    /// blocks. Allocation is still measured in blocks.
    /// </param>
    public static async Task RunAsync(IReadOnlyList<string> filters, int rounds, bool interleaved)
    {
        foreach (var group in PairGroups.All().Where(g => filters.Count == 0 || filters.Any(f => g.Name.Contains(f, StringComparison.OrdinalIgnoreCase))))
        {
            await group.Start();
            try
            {
                Console.WriteLine($"## {group.Name} ({rounds} rounds{(interleaved ? ", interleaved call by call" : "")})");
                Console.WriteLine("| Baseline | Candidate | Baseline median | Candidate median | Ratio median [p25, p75] | 95% CI of the median | Extra allocated per op |");
                Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
                var steal = CpuSteal.Now();
                foreach (var pair in group.Pairs)
                {
                    Console.WriteLine(await MeasureAsync(pair, rounds, interleaved));
                }

                Console.WriteLine($"CPU time stolen by the hypervisor meanwhile: {CpuSteal.Now().Since(steal)}");
            }
            finally
            {
                await group.Stop();
            }
        }
    }

    /// <summary>Runs the pair side named <paramref name="method"/> of the first group matching <paramref name="group"/>, alone, for <paramref name="length"/>.</summary>
    public static async Task RunAloneAsync(string group, string method, TimeSpan length)
    {
        var chosen = PairGroups.All().First(g => g.Name.Contains(group, StringComparison.OrdinalIgnoreCase));
        var run = chosen.Pairs.Select(p => p.Baseline == method ? p.RunBaseline : p.Candidate == method ? p.RunCandidate : null).First(r => r is not null)!;
        await chosen.Start();
        try
        {
            // A first quarter warms up (JIT tiers, the thread pool, the connections) and is not counted.
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < length / 4)
            {
                await run(1);
            }

            var cpuBefore = Environment.CpuUsage.TotalTime;
            var (workItemsBefore, contentionBefore) = (ThreadPool.CompletedWorkItemCount, Monitor.LockContentionCount);
            var watch = Stopwatch.StartNew();
            var calls = 0;
            while (watch.Elapsed < length)
            {
                await run(1);
                calls++;
            }

            var operations = (double)calls * chosen.Pairs.First(p => p.Baseline == method || p.Candidate == method).OperationsPerCall;
            var perOperation = watch.Elapsed.TotalMicroseconds / operations;
            var cpuPerOperation = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / operations;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: {perOperation:F2} us per operation over {watch.Elapsed.TotalSeconds:F1} s, this process's CPU {cpuPerOperation:F2} us, {(ThreadPool.CompletedWorkItemCount - workItemsBefore) / operations:F2} thread-pool work items and {(Monitor.LockContentionCount - contentionBefore) / operations:F3} contended locks per operation; thread-pool threads at the end: {ThreadPool.ThreadCount}"));
        }
        finally
        {
            await chosen.Stop();
        }
    }

    private static async Task<string> MeasureAsync(Pair pair, int rounds, bool interleaved)
    {
        var calls = await CallsPerRoundAsync(pair);
        var baseline = new List<Sample>();
        var candidate = new List<Sample>();
        for (var round = -2; round < rounds; round++)
        {
            // The first two rounds warm up; the order alternates so a drift favours neither side.
            var (a, b) = interleaved ? await InterleavedRoundAsync(pair, calls / 2) : await BlockRoundAsync(pair, calls, round % 2 == 0);
            if (round >= 0)
            {
                baseline.Add(a);
                candidate.Add(b);
            }
        }

        // Interleaved rounds time calls one by one, so their bytes come from one block of each side.
        var extraBytes = interleaved
            ? (await SampleAsync(pair.RunCandidate, calls, pair.OperationsPerCall)).Bytes - (await SampleAsync(pair.RunBaseline, calls, pair.OperationsPerCall)).Bytes
            : Median(candidate.Select(s => s.Bytes)) - Median(baseline.Select(s => s.Bytes));
        var ratios = baseline.Zip(candidate, (a, b) => b.Microseconds / a.Microseconds).Order().ToArray();

        // Distribution-free interval for the median: the order statistics n/2 ± 1.96·√n/2 (binomial, p = 1/2).
        var spread = (int)Math.Ceiling(1.96 * Math.Sqrt(ratios.Length) / 2);
        var low = ratios[Math.Max(0, (ratios.Length / 2) - spread)];
        var high = ratios[Math.Min(ratios.Length - 1, (ratios.Length / 2) + spread)];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {pair.Baseline} | {pair.Candidate} | {Median(baseline.Select(s => s.Microseconds)):F2} us | {Median(candidate.Select(s => s.Microseconds)):F2} us | {ratios[ratios.Length / 2]:F3} [{ratios[ratios.Length / 4]:F3}, {ratios[3 * ratios.Length / 4]:F3}] | {low:F3}–{high:F3} | {extraBytes:+0;-0;0} B |");
    }

    private static async Task<(Sample Baseline, Sample Candidate)> BlockRoundAsync(Pair pair, int calls, bool baselineFirst)
    {
        var a = baselineFirst ? await SampleAsync(pair.RunBaseline, calls, pair.OperationsPerCall) : default;
        var b = await SampleAsync(pair.RunCandidate, calls, pair.OperationsPerCall);
        if (!baselineFirst)
        {
            a = await SampleAsync(pair.RunBaseline, calls, pair.OperationsPerCall);
        }

        return (a, b);
    }

    private static async Task<(Sample Baseline, Sample Candidate)> InterleavedRoundAsync(Pair pair, int calls)
    {
        long baselineTicks = 0, candidateTicks = 0;
        for (var call = 0; call < calls; call++)
        {
            // Which side goes first alternates too, so neither always follows the other's leftovers.
            var start = Stopwatch.GetTimestamp();
            await (call % 2 == 0 ? pair.RunBaseline(1) : pair.RunCandidate(1));
            var middle = Stopwatch.GetTimestamp();
            await (call % 2 == 0 ? pair.RunCandidate(1) : pair.RunBaseline(1));
            var end = Stopwatch.GetTimestamp();
            baselineTicks += call % 2 == 0 ? middle - start : end - middle;
            candidateTicks += call % 2 == 0 ? end - middle : middle - start;
        }

        var operations = (double)calls * pair.OperationsPerCall;
        return (new(Stopwatch.GetElapsedTime(0, baselineTicks).TotalMicroseconds / operations, 0), new(Stopwatch.GetElapsedTime(0, candidateTicks).TotalMicroseconds / operations, 0));
    }

    // Enough calls for a round of about RoundLength on the baseline.
    private static async Task<int> CallsPerRoundAsync(Pair pair)
    {
        await pair.RunBaseline(1);
        await pair.RunCandidate(1);
        var watch = Stopwatch.StartNew();
        var calls = 0;
        while (watch.Elapsed < RoundLength / 3)
        {
            await pair.RunBaseline(1);
            calls++;
        }

        return Math.Max(1, calls * 3);
    }

    private static async Task<Sample> SampleAsync(Func<int, Task> run, int calls, int operationsPerCall)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        await run(calls);

        var elapsed = Stopwatch.GetElapsedTime(start);
        var operations = (double)calls * operationsPerCall;
        return new(elapsed.TotalMicroseconds / operations, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / operations);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private readonly record struct Sample(double Microseconds, double Bytes);
}

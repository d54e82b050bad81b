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

    public static async Task RunAsync(IReadOnlyList<string> filters, int rounds)
    {
        foreach (var group in PairGroups.All().Where(g => filters.Count == 0 || filters.Any(f => g.Name.Contains(f, StringComparison.OrdinalIgnoreCase))))
        {
            await group.Start();
            try
            {
                Console.WriteLine($"## {group.Name} ({rounds} rounds)");
                Console.WriteLine("| Baseline | Candidate | Baseline median | Candidate median | Ratio median [p25, p75] | Extra allocated per op |");
                Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
                var steal = CpuSteal.Now();
                foreach (var pair in group.Pairs)
                {
                    Console.WriteLine(await MeasureAsync(pair, rounds));
                }

                Console.WriteLine($"CPU time stolen by the hypervisor meanwhile: {CpuSteal.Now().Since(steal)}");
            }
            finally
            {
                await group.Stop();
            }
        }
    }

    private static async Task<string> MeasureAsync(Pair pair, int rounds)
    {
        var calls = await CallsPerRoundAsync(pair);
        var baseline = new List<Sample>();
        var candidate = new List<Sample>();
        for (var round = -2; round < rounds; round++)
        {
            // The first two rounds warm up; the order alternates so a drift favours neither side.
            var first = round % 2 == 0;
            var a = first ? await SampleAsync(pair.RunBaseline, calls, pair.OperationsPerCall) : default;
            var b = await SampleAsync(pair.RunCandidate, calls, pair.OperationsPerCall);
            if (!first)
            {
                a = await SampleAsync(pair.RunBaseline, calls, pair.OperationsPerCall);
            }

            if (round >= 0)
            {
                baseline.Add(a);
                candidate.Add(b);
            }
        }

        var ratios = baseline.Zip(candidate, (a, b) => b.Microseconds / a.Microseconds).Order().ToArray();
        var extraBytes = Median(candidate.Select(s => s.Bytes)) - Median(baseline.Select(s => s.Bytes));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {pair.Baseline} | {pair.Candidate} | {Median(baseline.Select(s => s.Microseconds)):F2} us | {Median(candidate.Select(s => s.Microseconds)):F2} us | {ratios[ratios.Length / 2]:F3} [{ratios[ratios.Length / 4]:F3}, {ratios[3 * ratios.Length / 4]:F3}] | {extraBytes:+0;-0;0} B |");
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

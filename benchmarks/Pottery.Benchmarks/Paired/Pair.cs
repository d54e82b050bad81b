namespace Pottery.Benchmarks.Paired;

/// <summary>Two ways of doing the same thing, timed against each other round by round.</summary>
/// <param name="Baseline">The reference's name (a raw command, or the peer library).</param>
/// <param name="RunBaseline">Runs the reference the given number of times (see <see cref="Loops"/>).</param>
/// <param name="Candidate">Pottery's name.</param>
/// <param name="RunCandidate">Runs Pottery's way the given number of times.</param>
/// <param name="OperationsPerCall">Operations one invocation performs (as BenchmarkDotNet's OperationsPerInvoke).</param>
internal sealed record Pair(string Baseline, Func<int, Task> RunBaseline, string Candidate, Func<int, Task> RunCandidate, int OperationsPerCall = 1);

/// <summary>Pairs sharing one benchmark class instance, its setup and its cleanup.</summary>
/// <param name="Name">What the group measures; the runner's filter matches it.</param>
/// <param name="Start">The benchmark class' global setup.</param>
/// <param name="Stop">The benchmark class' global cleanup.</param>
/// <param name="Pairs">The pairs.</param>
internal sealed record PairGroup(string Name, Func<Task> Start, Func<Task> Stop, IReadOnlyList<Pair> Pairs);

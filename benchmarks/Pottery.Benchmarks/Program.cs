using BenchmarkDotNet.Running;
using Pottery.Benchmarks.Paired;

// `--paired [--interleaved] [--rounds N] [filter...]` runs the ratio pairs round by round (see
// PairedRunner); `--solo group method seconds` runs one method alone; anything else goes to BenchmarkDotNet.
if (args is ["--solo", var group, var method, var seconds])
{
    // Runs one side of one pair alone for a while, for a profiler (perf) to watch.
    await PairedRunner.RunAloneAsync(group, method, TimeSpan.FromSeconds(int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)));
}
else if (args is ["--paired", .. var options])
{
    var interleaved = options is ["--interleaved", ..];
    options = interleaved ? options[1..] : options;
    var rounds = options is ["--rounds", var count, ..] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 21;
    await PairedRunner.RunAsync(options is ["--rounds", _, .. var rest] ? rest : options, rounds, interleaved);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

using BenchmarkDotNet.Running;
using Pottery.Benchmarks.Paired;

// `--paired [filter...]` runs the ratio pairs round by round (see PairedRunner); anything else goes to BenchmarkDotNet.
if (args is ["--paired", .. var filters])
{
    await PairedRunner.RunAsync(filters, rounds: 21);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

using System.Diagnostics;
using System.Text;

namespace Pottery.Samples.Tests;

/// <summary>Runs a process to completion and collects its output.</summary>
internal static class ProcessRun
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string directory, IDictionary<string, string>? environment, TimeSpan deadline)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var reading = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {deadline}:\n{output}");
        }

        await reading;
        return (process.ExitCode, output.ToString());
    }

    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }
}

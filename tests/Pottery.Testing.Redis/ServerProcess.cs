using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pottery.Testing.Redis;

/// <summary>Starts a server process whose output says when it is ready, keeping that output for error messages.</summary>
internal static class ServerProcess
{
    /// <summary>Starts <paramref name="start"/> (its output redirected) and watches its output for <paramref name="readyLine"/>.</summary>
    /// <param name="start">How to start it; standard output and error must be redirected.</param>
    /// <param name="readyLine">What the server writes once it accepts connections.</param>
    /// <param name="name">The program's name, for the error when it exits during start-up.</param>
    /// <returns>The process, its output so far, and a task that completes when it is ready (or fails when it exits first).</returns>
    public static (Process Process, ConcurrentQueue<string> Output, Task Ready) Start(ProcessStartInfo start, string readyLine, string name)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            log.Enqueue(e.Data);
            if (e.Data.Contains(readyLine, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"{name} exited during start-up."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log, ready.Task);
    }
}

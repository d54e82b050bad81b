using System.Diagnostics;
using System.Threading.Channels;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>Runs tests/Pottery.LockWorker as a separate OS process and reads its output lines.</summary>
internal sealed class LockWorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private LockWorkerProcess(Process process) => _process = process;

    public static LockWorkerProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pottery.LockWorker.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var worker = new LockWorkerProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        worker._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker._firstLine.TrySetResult(e.Data);
                worker._lines.Writer.TryWrite(e.Data);
            }
        };
        worker._process.Exited += (_, _) =>
        {
            // Exited can be raised before the last output lines are delivered; WaitForExit() waits for them.
            worker._process.WaitForExit();
            worker._firstLine.TrySetResult($"(exited with {worker._process.ExitCode})");
            worker._lines.Writer.TryWrite($"(exited with {worker._process.ExitCode})");
        };
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The first line the worker printed (ACQUIRED, DONE, …).</summary>
    public Task<string> FirstLine => _firstLine.Task;

    /// <summary>The next line the worker printed, in order from the first; "(exited with N)" after its last.</summary>
    public async Task<string> NextLineAsync(TimeSpan deadline) =>
        await _lines.Reader.ReadAsync().AsTask().WaitAsync(deadline);

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}

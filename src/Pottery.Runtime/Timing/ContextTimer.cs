using System.Diagnostics;

namespace Pottery;

/// <summary>
/// A wall-clock stopwatch with pottery's <c>ContextTimer</c> rules: start once, stop once, read
/// the elapsed milliseconds while running or after stopping. Disposing stops it, so it can time
/// a scope: <c>using var timer = ContextTimer.StartNew();</c>.
/// </summary>
public sealed class ContextTimer : IDisposable
{
    private long _started;
    private long _stopped;

    /// <summary>Creates and starts a timer.</summary>
    /// <returns>The running timer.</returns>
    public static ContextTimer StartNew()
    {
        var timer = new ContextTimer();
        timer.Start();
        return timer;
    }

    /// <summary>Whether the timer has started and not stopped.</summary>
    public bool IsRunning => _started != 0 && _stopped == 0;

    /// <summary>The time since the start, up to the stop if it has stopped.</summary>
    /// <exception cref="InvalidOperationException">The timer has not started.</exception>
    public TimeSpan Elapsed
    {
        get
        {
            if (_started == 0)
            {
                throw new InvalidOperationException("The timer has not been started.");
            }

            return Stopwatch.GetElapsedTime(_started, _stopped == 0 ? Stopwatch.GetTimestamp() : _stopped);
        }
    }

    /// <summary>The elapsed time in whole milliseconds, as pottery's <c>elapsed()</c> returns it.</summary>
    /// <exception cref="InvalidOperationException">The timer has not started.</exception>
    public long ElapsedMilliseconds => (long)Elapsed.TotalMilliseconds;

    /// <summary>Starts the timer.</summary>
    /// <exception cref="InvalidOperationException">The timer was already started.</exception>
    public void Start()
    {
        if (_started != 0)
        {
            throw new InvalidOperationException("The timer has already been started.");
        }

        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Stops the timer, freezing <see cref="Elapsed"/>.</summary>
    /// <exception cref="InvalidOperationException">The timer was not started, or was already stopped.</exception>
    public void Stop()
    {
        if (_started == 0)
        {
            throw new InvalidOperationException("The timer has not been started.");
        }

        if (_stopped != 0)
        {
            throw new InvalidOperationException("The timer has already been stopped.");
        }

        _stopped = Stopwatch.GetTimestamp();
    }

    /// <summary>Stops the timer if it is running; a scope's end never throws.</summary>
    public void Dispose()
    {
        if (IsRunning)
        {
            Stop();
        }
    }
}

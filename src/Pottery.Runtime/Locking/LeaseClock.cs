using System.Diagnostics;

namespace Pottery;

/// <summary>
/// How long one acquisition (a lock's, a semaphore permit's) stays valid by the local clock, and
/// the <c>LostToken</c> that fires when it stops: renewals move the end, a failed renewal ends it
/// at once, and a release ends the clock for good. Shared by every handle that owns a lease.
/// </summary>
/// <remarks>
/// Most scopes never look at the lost token, so its source and timer are made on first use; until
/// then only the moment the validity runs out is kept. A lost token that fired counts as invalid
/// even if the clock has not quite reached the end: its timer may fire a tick early, and a caller
/// told the acquisition is lost must not then be told it is held.
/// </remarks>
internal sealed class LeaseClock : IDisposable
{
    // The shortest delay a moved lost token is given, so that it never fires under the gate.
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private CancellationTokenSource? _lost;
    private long _validUntil;
    private bool _ended;

    /// <summary>Starts a clock whose validity ends <paramref name="validity"/> after <paramref name="since"/>.</summary>
    /// <param name="since">When the acquisition was sent (a <see cref="Stopwatch"/> timestamp).</param>
    /// <param name="validity">The lease less the clock drift allowance.</param>
    public LeaseClock(long since, TimeSpan validity) => _validUntil = EndOf(since, validity);

    /// <summary>The moment (a <see cref="Stopwatch"/> timestamp) the validity ends; renewals move it.</summary>
    public long ValidUntil => Volatile.Read(ref _validUntil);

    /// <summary>Whether the validity ended (or was lost) by the local clock.</summary>
    public bool Expired => Stopwatch.GetTimestamp() >= ValidUntil;

    /// <summary>How long the validity lasts by the local clock; never negative.</summary>
    public TimeSpan Left
    {
        get
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), ValidUntil);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Neither ended nor past its validity, and its lost token has not fired.</summary>
    public bool Valid
    {
        get
        {
            lock (_gate)
            {
                return !_ended && Stopwatch.GetTimestamp() < _validUntil && _lost?.IsCancellationRequested != true;
            }
        }
    }

    /// <summary>The token that fires when the validity runs out or is lost.</summary>
    /// <param name="owner">The handle, named by <see cref="ObjectDisposedException"/>.</param>
    /// <param name="onLost">Called when the token fires by its timer or by <see cref="Lose"/>, never under the gate; null for nothing.</param>
    /// <param name="lostState">What <paramref name="onLost"/> is given; <paramref name="owner"/> when null.</param>
    /// <returns>The token.</returns>
    /// <exception cref="ObjectDisposedException">The clock was ended (the acquisition released).</exception>
    public CancellationToken LostToken(object owner, Action<object?>? onLost, object? lostState = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_ended, owner);
            if (_lost is null)
            {
                _lost = new CancellationTokenSource();
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _validUntil);
                if (remaining > TimeSpan.Zero)
                {
                    _lost.CancelAfter(remaining);
                    if (onLost is not null)
                    {
                        // Fires on the timer's thread (or after Lose), never under the gate; a disposed source never fires.
                        _lost.Token.Register(onLost, lostState ?? owner);
                    }
                }
                else
                {
                    // Nobody can have registered on a source made just now, so no callback runs under the gate.
                    _lost.Cancel();
                }
            }

            return _lost.Token;
        }
    }

    /// <summary>Moves the validity's end to <paramref name="validity"/> after a renewal sent at <paramref name="renewedAt"/>.</summary>
    public void Renewed(long renewedAt, TimeSpan validity)
    {
        lock (_gate)
        {
            _validUntil = EndOf(renewedAt, validity);
            if (!_ended)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _validUntil);
                _lost?.CancelAfter(left > Moment ? left : Moment);
            }
        }
    }

    /// <summary>Ends the validity now and fires the lost token; false (and nothing done) once the clock was ended.</summary>
    public bool Lose()
    {
        CancellationTokenSource? lost;
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            _validUntil = Stopwatch.GetTimestamp();
            lost = _lost;
        }

        // Cancelled outside the gate: callbacks registered on the token may read it again.
        // A source that does not exist yet is made already cancelled by LostToken.
        lost?.Cancel();
        return true;
    }

    /// <summary>Ends the clock (the acquisition is released) and frees the lost token's timer; true for the first call only.</summary>
    public bool End()
    {
        CancellationTokenSource? lost;
        lock (_gate)
        {
            if (_ended)
            {
                return false;
            }

            _ended = true;
            lost = _lost;
        }

        // Renewed and Lose do nothing once ended, so nobody touches the source again.
        lost?.Dispose();
        return true;
    }

    /// <summary>Ends the clock, as <see cref="End"/> does.</summary>
    public void Dispose() => End();

    /// <summary>When an acquisition whose validity ends at <paramref name="validUntil"/> counts as sent: a clock started then ends at the same moment.</summary>
    public static long StartOf(long validUntil, TimeSpan validity) => validUntil - Ticks(validity);

    /// <summary>A span in <see cref="Stopwatch"/> ticks, the unit of the clock's timestamps.</summary>
    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static long EndOf(long since, TimeSpan validity) => since + Ticks(validity);
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Watches the calls of one multi-master round: <see cref="Decided"/> completes as soon as a quorum
/// of calls agreed or too few are left for one, <see cref="Ended"/> once every call ended. Until the
/// watch is closed, a master that lost the script gets it in full once, as soon as it says so, and
/// its new call takes the old one's place; a master that says so after that takes no part in the
/// round, like a master that was down.
/// </summary>
internal sealed class QuorumWatch
{
    private readonly TaskCompletionSource _done = new();
    private readonly TaskCompletionSource _ended = new();
    private readonly IDatabase[] _masters;
    private readonly RedisScript? _script;
    private readonly RedisKey[] _keys;
    private readonly RedisValue[] _values;
    private readonly Task[] _calls;
    private readonly Task[]? _companions;
    private readonly int _quorum;
    private readonly Func<int, bool> _agrees;
    private readonly bool[] _counted;
    private int _agreed;
    private int _pending;
    private bool _decided;
    private bool _closed;

    private QuorumWatch(IDatabase[] masters, RedisScript? script, RedisKey[] keys, RedisValue[] values, Task[] calls, int quorum, Func<int, bool> agrees, Task[]? companions = null)
    {
        (_masters, _script, _keys, _values, _calls, _quorum, _agrees, _companions) = (masters, script, keys, values, calls, quorum, agrees, companions);
        _pending = calls.Length;
        _counted = new bool[calls.Length];
    }

    /// <summary>Completes (never faults) once a quorum of calls agreed or no longer can.</summary>
    public Task Decided => _done.Task;

    /// <summary>Completes (never faults) once every call ended, lost scripts resent included, unless the watch was closed first.</summary>
    public Task Ended => _ended.Task;

    /// <summary>
    /// Starts watching <paramref name="calls"/> of <paramref name="script"/>, which the watch updates
    /// with any call it sends again. <paramref name="agrees"/> is asked, by master index, about each
    /// call that succeeded.
    /// </summary>
    /// <returns>The watch; <see cref="Close"/> it when the caller stops waiting.</returns>
    public static QuorumWatch Start(IDatabase[] masters, RedisScript script, RedisKey[] keys, RedisValue[] values, Task[] calls, int quorum, Func<int, bool> agrees) =>
        new QuorumWatch(masters, script, keys, values, calls, quorum, agrees).FollowAll();

    /// <summary>
    /// Starts watching plain commands, one call per master (see <see cref="Start(IDatabase[], RedisScript, RedisKey[], RedisValue[], Task[], int, Func{int, bool})"/>):
    /// nothing is ever sent again, so the watch needs no <see cref="Close"/>. Every call is followed to
    /// its end, the round's late ones too, so their failures, and those of the
    /// <paramref name="companions"/> sent just before each on the same connection (which therefore
    /// ended first), if any, count as observed without a continuation of their own.
    /// </summary>
    /// <returns>The watch.</returns>
    public static QuorumWatch Start(Task[] calls, int quorum, Func<int, bool> agrees, Task[]? companions) =>
        new QuorumWatch([], null, [], [], calls, quorum, agrees, companions).FollowAll();

    private QuorumWatch FollowAll()
    {
        for (var i = 0; i < _calls.Length; i++)
        {
            Follow(new Call(this, i, Resent: false));
        }

        return this;
    }

    /// <summary>
    /// The round as the watch counted it: a call that ended but was not yet counted (a lost script
    /// about to be resent included) is still pending, so the tally never reports as a failure what
    /// the resend may yet answer.
    /// </summary>
    /// <returns>The tally.</returns>
    public RoundTally Tally()
    {
        lock (_done)
        {
            var (agreed, refused, failed) = (0, 0, 0);
            Exception? failure = null;
            for (var i = 0; i < _calls.Length; i++)
            {
                if (!_counted[i])
                {
                    continue;
                }

                if (_calls[i].IsCompletedSuccessfully)
                {
                    (agreed, refused) = _agrees(i) ? (agreed + 1, refused) : (agreed, refused + 1);
                }
                else
                {
                    failed++;
                    failure ??= _calls[i].Exception?.InnerException;
                }
            }

            return new(agreed, refused, failed, _calls.Length - agreed - refused - failed, _quorum, failure);
        }
    }

    /// <summary>
    /// Sends nothing more: whatever the caller sends the masters next must reach them after this
    /// round's calls, and a late resend would overtake it.
    /// </summary>
    public void Close()
    {
        lock (_done)
        {
            _closed = true;
        }
    }

    private void Follow(Call call) =>
        _calls[call.Master].ContinueWith(static (task, state) => ((Call)state!).Ended(task), call, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void End(Call call, Task task)
    {
        // Read, so that a late master's failure that nobody awaits any more counts as observed.
        _ = (task.Exception, _companions?[call.Master].Exception);
        bool decides, ends;
        lock (_done)
        {
            if (_closed)
            {
                // Too late to take part, and a resend now could overtake what the caller sent since;
                // loading the script still spares the master's next round a NOSCRIPT.
                if (_script is not null && RedisScript.Lost(task))
                {
                    _script.Load(_masters[call.Master]);
                }

                return;
            }

            if (!call.Resent && _script is not null && RedisScript.Lost(task))
            {
                _calls[call.Master] = _script.Resend(_masters[call.Master], _keys, _values);
                Follow(call with { Resent = true });
                return;
            }

            _agreed += task.IsCompletedSuccessfully && _agrees(call.Master) ? 1 : 0;
            _counted[call.Master] = true;
            _pending--;
            decides = !_decided && (_agreed >= _quorum || _agreed + _pending < _quorum);
            _decided |= decides;
            ends = _pending == 0;
        }

        // Outside the lock: the caller's await goes on from here.
        if (decides)
        {
            _done.TrySetResult();
        }

        if (ends)
        {
            _ended.TrySetResult();
        }
    }

    private sealed record Call(QuorumWatch Watch, int Master, bool Resent)
    {
        public void Ended(Task task) => Watch.End(this, task);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Awaits a command already sent and maps its reply, as a <see cref="ValueTask{TResult}"/> whose
/// source comes from a pool, translating failures as <see cref="RedisErrors"/> does. With many calls
/// in flight a call allocates nothing beyond StackExchange.Redis' own task, where a pooled async
/// method (one spare state machine per thread and per core) runs dry and allocates one per call.
/// </summary>
/// <remarks>
/// Nothing waits on the command until the caller awaits: a reply that arrived before the await is
/// mapped at the await, like a bare command awaited late, with no continuation; only a caller that
/// must wait has the source's loop await the command for it.
/// </remarks>
/// <typeparam name="TState">What the map needs besides the reply; a struct keeps it off the heap.</typeparam>
/// <typeparam name="TResult">The mapped result.</typeparam>
internal sealed class PooledReply<TState, TResult> : IValueTaskSource<TResult>, IValueTaskSource
{
    private const int PoolSize = 256;
    private const int Serving = 1;
    private const int ReturnDeferred = 2;
    private static readonly PooledReply<TState, TResult>?[] Pool = new PooledReply<TState, TResult>?[PoolSize];
    private static readonly object PoolGate = new();
    private static int s_pooled;

    // What the serving loop waits on: null while idle, its continuation while it waits, Armed when a command came first.
    private static readonly Action Armed = static () => { };
    private Action? _resume;

    // Serving while the loop is inside OnReply; ReturnDeferred once the caller's continuation, run
    // there, has given the source back meanwhile.
    private int _loop;
    private ManualResetValueTaskSourceCore<TResult> _core;
    private Task? _pending;
    private ExecutionContext? _context;
    private int _claimed;
    private TState _state = default!;
    private Func<Task, TState, RedisKey, TResult>? _map;
    private Func<Task, TState, RedisKey, ValueTask<TResult>>? _then;
    private IDatabaseAsync? _database;
    private RedisKey _key;
    private RedisType _expected;
    private RedisValue _field;

    private PooledReply()
    {
        // Started on the empty context, so the loop's state machine always runs inside a context
        // of its own and whatever it restores is undone when it yields.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(ServeAsync);
        }
    }

    /// <summary>
    /// The mapped reply of <paramref name="pending"/>; <paramref name="map"/> gets the completed task.
    /// A command on one hash field names it in <paramref name="field"/>, so a translated error can.
    /// </summary>
    public static ValueTask<TResult> Await(Task pending, TState state, Func<Task, TState, RedisKey, TResult> map, IDatabaseAsync database, RedisKey key, RedisType expected, RedisValue field = default) =>
        Wait(pending, state, map, null, database, key, expected, field, out var version) is { } source
            ? new ValueTask<TResult>(source, version)
            : Completed(pending, state, map, null, database, key, expected, field);

    /// <summary>
    /// The reply of <paramref name="pending"/> carried on by <paramref name="then"/>, which may have more
    /// to do (a cache miss computing the value); its failures reach the caller as they are.
    /// </summary>
    public static ValueTask<TResult> AwaitThen(Task pending, TState state, Func<Task, TState, RedisKey, ValueTask<TResult>> then, IDatabaseAsync database, RedisKey key, RedisType expected) =>
        Wait(pending, state, null, then, database, key, expected, default, out var version) is { } source
            ? new ValueTask<TResult>(source, version)
            : Completed(pending, state, null, then, database, key, expected, default);

    /// <summary>Completes when <paramref name="pending"/> and <paramref name="map"/> do, with failures translated.</summary>
    public static ValueTask AwaitCompletion(Task pending, TState state, Func<Task, TState, RedisKey, TResult> map, IDatabaseAsync database, RedisKey key, RedisType expected) =>
        Wait(pending, state, map, null, database, key, expected, default, out var version) is { } source
            ? new ValueTask(source, version)
            : WithoutResult(Completed(pending, state, map, null, database, key, expected, default));

    /// <inheritdoc />
    public TResult GetResult(short token)
    {
        var mine = token == _core.Version;
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // A stale token (a ValueTask awaited twice) must not put the source back twice.
            if (mine)
            {
                Return();
            }
        }
    }

    /// <inheritdoc />
    void IValueTaskSource.GetResult(short token) => GetResult(token);

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token)
    {
        // Asked at the caller's await: a reply that has arrived is mapped here and now, so a command
        // awaited after its reply came (many calls in flight) costs no continuation at all.
        if (_core.GetStatus(token) == ValueTaskSourceStatus.Pending && _pending is { IsCompleted: true } && Claim())
        {
            OnReply();
        }

        return _core.GetStatus(token);
    }

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        // The caller waits: the loop awaits the reply, unless the caller's await already mapped it.
        // The loop starts before the continuation is registered: a reply mapped in the meantime then
        // finds no continuation, and the core queues it instead of running the caller inside its own
        // await.
        if (Claim())
        {
            _context = ExecutionContext.Capture();
            Serve();
        }

        _core.OnCompleted(continuation, state, token, flags);
    }

    // A pooled source waiting for the reply, or null when the reply is already there.
    // Exactly one of map and then is given.
    private static PooledReply<TState, TResult>? Wait(Task pending, TState state, Func<Task, TState, RedisKey, TResult>? map, Func<Task, TState, RedisKey, ValueTask<TResult>>? then, IDatabaseAsync database, RedisKey key, RedisType expected, RedisValue field, out short version)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (pending.IsCompleted)
        {
            version = 0;
            return null;
        }

        var source = Rent();
        (source._pending, source._state, source._map, source._then, source._database, source._key, source._expected, source._field) = (pending, state, map, then, database, key, expected, field);
        version = source._core.Version;
        return source;
    }

    // One loop per source for the source's whole life awaits the commands whose callers wait. The task
    // then resumes the loop's state machine, which the thread pool runs as it is, where a delegate
    // continuation would cost a work item per reply (StackExchange.Redis completes its tasks
    // asynchronously). The reply is mapped under the caller's execution context (its AsyncLocals),
    // and the idle loop holds only the empty one, so a source waiting in the pool keeps no caller's
    // context alive.
    private async Task ServeAsync()
    {
        // Started on a thread-pool thread with flow suppressed, so this is the empty context.
        var empty = ExecutionContext.Capture()!;
        while (true)
        {
            ExecutionContext.Restore(empty);
            await new NextCommand(this);
            if (_context is { } context)
            {
                ExecutionContext.Restore(context);
            }

            await _pending!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Volatile.Write(ref _loop, Serving);
            OnReply();
            if (Interlocked.Exchange(ref _loop, 0) == ReturnDeferred)
            {
                PutBack();
            }
        }
    }

    // Hands the loop the command stored at the rent.
    private void Serve()
    {
        var waiting = Interlocked.Exchange(ref _resume, Armed);
        if (waiting is not null)
        {
            _resume = null;
            waiting();
        }
    }

    private static ValueTask WithoutResult(ValueTask<TResult> completed) =>
        completed.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(completed.AsTask());

    private static ValueTask<TResult> Completed(Task pending, TState state, Func<Task, TState, RedisKey, TResult>? map, Func<Task, TState, RedisKey, ValueTask<TResult>>? then, IDatabaseAsync database, RedisKey key, RedisType expected, RedisValue field)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            return FailAsync(Failure(pending), database, key, expected, field);
        }

        try
        {
            return map is null ? then!(pending, state, key) : new ValueTask<TResult>(map(pending, state, key));
        }
        catch (Exception error)
        {
            return ValueTask.FromException<TResult>(error);
        }
    }

    // The command's failure as the caller should see it: what RedisErrors knows translated as it
    // does, anything else (cancellation included) as it came.
    private static async ValueTask<TResult> FailAsync(Exception error, IDatabaseAsync database, RedisKey key, RedisType expected, RedisValue field)
    {
        if (!RedisErrors.IsTranslated(error))
        {
            ExceptionDispatchInfo.Throw(error);
        }

        throw await RedisErrors.TranslateAsync(error, database, key, expected, field).ConfigureAwait(false);
    }

    private static Exception Failure(Task completed)
    {
        try
        {
            completed.GetAwaiter().GetResult();
            throw new InvalidOperationException("The command did not fail.");
        }
        catch (Exception error)
        {
            return error;
        }
    }

    private static PooledReply<TState, TResult> Rent()
    {
        lock (PoolGate)
        {
            if (s_pooled > 0)
            {
                var source = Pool[--s_pooled]!;
                Pool[s_pooled] = null;
                return source;
            }
        }

        return new PooledReply<TState, TResult>();
    }

    // Whoever maps the reply claims it first: the caller's await when the reply is already there,
    // otherwise the loop.
    private bool Claim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    private void Return()
    {
        (_pending, _state, _map, _then, _database, _key, _field, _context, _claimed) = (null, default!, null, null, null, default, default, null, 0);
        _core.Reset();

        // The caller's continuation runs inside this source's loop; should it then wait synchronously
        // for a call that rented this very source (a sync twin after an await), the loop that must
        // serve that call would be the thread waiting for it. So the source goes back to the pool only
        // once the loop is out of OnReply.
        if (Interlocked.CompareExchange(ref _loop, ReturnDeferred, Serving) != Serving)
        {
            PutBack();
        }
    }

    private void PutBack()
    {
        lock (PoolGate)
        {
            if (s_pooled < PoolSize)
            {
                Pool[s_pooled++] = this;
            }
        }
    }

    // Runs once the command's task completed, at the caller's await or in the loop, whichever claimed
    // it; nothing here may touch the source after it is completed, as the awaiting caller's
    // continuation may already have returned it to the pool.
    private void OnReply()
    {
        var pending = _pending!;
        if (!pending.IsCompletedSuccessfully)
        {
            _ = FailWithAsync(Failure(pending));
            return;
        }

        TResult result;
        try
        {
            if (_map is { } map)
            {
                result = map(pending, _state, _key);
            }
            else
            {
                var then = _then!(pending, _state, _key);
                if (!then.IsCompleted)
                {
                    _ = FollowAsync(then);
                    return;
                }

                result = then.Result;
            }
        }
        catch (Exception error)
        {
            _core.SetException(error);
            return;
        }

        _core.SetResult(result);
    }

    private async Task FollowAsync(ValueTask<TResult> then)
    {
        TResult result;
        try
        {
            result = await then.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            _core.SetException(error);
            return;
        }

        _core.SetResult(result);
    }

    private async Task FailWithAsync(Exception error)
    {
        try
        {
            await FailAsync(error, _database!, _key, _expected, _field).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            // FailAsync always throws: this is the failure the awaiting caller must see.
            _core.SetException(failure);
        }
    }

    // The loop's wait for its next command.
    private readonly struct NextCommand(PooledReply<TState, TResult> source) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => ReferenceEquals(Volatile.Read(ref source._resume), Armed);

        public NextCommand GetAwaiter() => this;

        public void GetResult() => Volatile.Write(ref source._resume, null);

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
        {
            if (Interlocked.CompareExchange(ref source._resume, continuation, null) is not null)
            {
                // A command came between IsCompleted and now; resuming here would re-enter the loop's
                // state machine before it returned, so the thread pool resumes it.
                ThreadPool.UnsafeQueueUserWorkItem(static resume => resume(), continuation, preferLocal: true);
            }
        }
    }
}

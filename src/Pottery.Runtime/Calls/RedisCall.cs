using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The one way Pottery sends a command and awaits its reply. The command is sent by a static lambda
/// that takes its data from a state value (no closure), its reply is awaited by a pooled source
/// (<see cref="PooledReply{TState, TResult}"/>) and mapped, and its failures are translated by
/// <see cref="RedisErrors"/>. Collections, generated code, caches, locks and queues all come through
/// here; a sync member is its async twin waited for with <see cref="Sync.Wait{T}(ValueTask{T})"/>.
/// </summary>
/// <remarks>
/// StackExchange.Redis cannot withdraw a command once written, so a cancelled token stops the wait:
/// a cancelled write may still have happened, exactly as with a lost reply. A token cancelled
/// before the call sends nothing.
/// </remarks>
internal static class RedisCall
{
    /// <summary>Sends a command on <paramref name="key"/> and maps its reply.</summary>
    /// <param name="database">Where to send it.</param>
    /// <param name="key">The key the command is about, named in translated errors.</param>
    /// <param name="type">The Redis type expected at <paramref name="key"/>, named in WRONGTYPE errors.</param>
    /// <param name="state">What <paramref name="send"/> and <paramref name="map"/> need.</param>
    /// <param name="send">Sends the command; a static lambda.</param>
    /// <param name="map">Turns the reply into the result; a static lambda. What it throws reaches the caller as it is.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public static ValueTask<TResult> Async<TState, TReply, TResult>(IDatabase database, RedisKey key, RedisType type, TState state, Func<IDatabase, RedisKey, TState, Task<TReply>> send, Func<TReply, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        PooledReply<(TState State, Func<TReply, TState, RedisKey, TResult> Map), TResult>.Await(
            Sent(database, key, send, state, cancellationToken),
            (state, map),
            static (done, s, k) => s.Map(((Task<TReply>)done).Result, s.State, k),
            database,
            key,
            type);

    /// <summary>
    /// Sends a command on one field of the hash at <paramref name="key"/> (an increment, say) and
    /// maps its reply; a translated error names <paramref name="field"/> as well as the key.
    /// </summary>
    /// <param name="database">Where to send it.</param>
    /// <param name="key">The hash.</param>
    /// <param name="type">The Redis type expected at <paramref name="key"/>.</param>
    /// <param name="field">The field the command is about.</param>
    /// <param name="state">What <paramref name="send"/> and <paramref name="map"/> need.</param>
    /// <param name="send">Sends the command; a static lambda.</param>
    /// <param name="map">Turns the reply into the result; a static lambda.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public static ValueTask<TResult> Async<TState, TReply, TResult>(IDatabase database, RedisKey key, RedisType type, RedisValue field, TState state, Func<IDatabase, RedisKey, TState, Task<TReply>> send, Func<TReply, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        PooledReply<(TState State, Func<TReply, TState, RedisKey, TResult> Map), TResult>.Await(
            Sent(database, key, send, state, cancellationToken),
            (state, map),
            static (done, s, k) => s.Map(((Task<TReply>)done).Result, s.State, k),
            database,
            key,
            type,
            field);

    /// <summary>Sends a command on <paramref name="key"/> whose reply says nothing the caller needs.</summary>
    /// <param name="database">Where to send it.</param>
    /// <param name="key">The key the command is about, named in translated errors.</param>
    /// <param name="type">The Redis type expected at <paramref name="key"/>.</param>
    /// <param name="state">What <paramref name="send"/> needs.</param>
    /// <param name="send">Sends the command; a static lambda.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public static ValueTask Async<TState>(IDatabase database, RedisKey key, RedisType type, TState state, Func<IDatabase, RedisKey, TState, Task> send, CancellationToken cancellationToken) =>
        PooledReply<TState, bool>.AwaitCompletion(Sent(database, key, send, state, cancellationToken), state, static (_, _, _) => true, database, key, type);

    /// <summary>
    /// Sends a command and hands its reply to <paramref name="then"/>, which may have more to do (a
    /// cache miss computing its value). Only the command's own failures are translated.
    /// </summary>
    /// <param name="database">Where to send it.</param>
    /// <param name="key">The key the command is about.</param>
    /// <param name="type">The Redis type expected at <paramref name="key"/>.</param>
    /// <param name="state">What <paramref name="send"/> and <paramref name="then"/> need.</param>
    /// <param name="send">Sends the command; a static lambda.</param>
    /// <param name="then">Carries on with the reply; a static lambda.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public static ValueTask<TResult> Then<TState, TReply, TResult>(IDatabase database, RedisKey key, RedisType type, TState state, Func<IDatabase, RedisKey, TState, Task<TReply>> send, Func<TReply, TState, RedisKey, ValueTask<TResult>> then, CancellationToken cancellationToken) =>
        PooledReply<(TState State, Func<TReply, TState, RedisKey, ValueTask<TResult>> Then), TResult>.AwaitThen(
            Sent(database, key, send, state, cancellationToken),
            (state, then),
            static (done, s, k) => s.Then(((Task<TReply>)done).Result, s.State, k),
            database,
            key,
            type);

    /// <summary>
    /// Runs a Lua script on one server through StackExchange.Redis' script cache (EVALSHA once the
    /// server knows it, EVAL again after NOSCRIPT) and maps its reply.
    /// </summary>
    /// <param name="database">Where to run it.</param>
    /// <param name="key">The key the script is about, named in translated errors.</param>
    /// <param name="type">The Redis type expected at <paramref name="key"/>.</param>
    /// <param name="script">The script.</param>
    /// <param name="keys">Every key the script touches.</param>
    /// <param name="values">The script's arguments: all user data.</param>
    /// <param name="state">What <paramref name="map"/> needs.</param>
    /// <param name="map">Turns the reply into the result; a static lambda.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public static ValueTask<TResult> Script<TState, TResult>(IDatabase database, RedisKey key, RedisType type, RedisScript script, RedisKey[] keys, RedisValue[] values, TState state, Func<RedisResult, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        Async(database, key, type, (Script: script, Keys: keys, Values: values, State: state, Map: map), static (d, _, s) => d.ScriptEvaluateAsync(s.Script.Source, s.Keys, s.Values), static (reply, s, k) => s.Map(reply, s.State, k), cancellationToken);

    /// <summary>Runs a Lua script on one server (see <see cref="Script{TState, TResult}"/>) and returns its raw reply.</summary>
    /// <param name="database">Where to run it.</param>
    /// <param name="key">The key the script is about.</param>
    /// <param name="type">The Redis type expected at <paramref name="key"/>.</param>
    /// <param name="script">The script.</param>
    /// <param name="keys">Every key the script touches.</param>
    /// <param name="values">The script's arguments.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public static ValueTask<RedisResult> Script(IDatabase database, RedisKey key, RedisType type, RedisScript script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken) =>
        Script(database, key, type, script, keys, values, 0, static (reply, _, _) => reply, cancellationToken);

    // A cancelled token or a send that throws becomes a failed task, so every failure reaches the
    // caller the same way: through the returned ValueTask, translated.
    private static Task<TReply> Sent<TState, TReply>(IDatabase database, RedisKey key, Func<IDatabase, RedisKey, TState, Task<TReply>> send, TState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            return cancellationToken.IsCancellationRequested ? Task.FromCanceled<TReply>(cancellationToken) : send(database, key, state).WaitAsync(cancellationToken);
        }
        catch (Exception error)
        {
            return Task.FromException<TReply>(error);
        }
    }

    private static Task Sent<TState>(IDatabase database, RedisKey key, Func<IDatabase, RedisKey, TState, Task> send, TState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : send(database, key, state).WaitAsync(cancellationToken);
        }
        catch (Exception error)
        {
            return Task.FromException(error);
        }
    }
}

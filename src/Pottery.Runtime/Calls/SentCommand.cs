using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A command's task, for <see cref="PooledReply{TState, TResult}"/> to await: a cancelled token or a
/// send that throws becomes a failed task, so every failure reaches the caller the same way, through
/// the returned ValueTask, translated. The command gets its arguments through a static lambda and a
/// state value, so sending allocates nothing of its own.
/// </summary>
internal static class SentCommand
{
    public static Task<TReply> Of<TState, TReply>(IDatabase database, RedisKey key, Func<IDatabase, RedisKey, TState, Task<TReply>> send, TState state, CancellationToken cancellationToken)
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

    public static Task Of<TState>(IDatabase database, RedisKey key, Func<IDatabase, RedisKey, TState, Task> send, TState state, CancellationToken cancellationToken)
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

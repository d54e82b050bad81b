using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The base of every Redis-backed structure: the database and key it lives at, and ownership
/// of random keys. A structure created without a key gets a random unused key under
/// <c>pottery:</c> and deletes it when disposed (pottery deletes it when garbage-collected;
/// .NET makes that explicit). A structure over a key you named never deletes it.
/// </summary>
/// <remarks>
/// Once disposed, a structure refuses every command with <see cref="ObjectDisposedException"/>,
/// whether its key is random or named: a write after the random key was deleted would silently
/// create it again, and nothing would ever delete it. Disposing again does nothing.
/// </remarks>
public abstract class RedisObject : IDisposable, IAsyncDisposable
{
    private const int Live = 0;
    private const int Disposing = 1;
    private const int Disposed = 2;

    private int _state;
    private string? _keyName;

    /// <summary>Binds the structure to <paramref name="key"/>, or to a new random key when it is <see langword="null"/>.</summary>
    /// <param name="database">The Redis database to use.</param>
    /// <param name="key">The key, or <see langword="null"/> for a random key owned by this object.</param>
    /// <exception cref="RandomKeyException">No unused random key could be found.</exception>
    private protected RedisObject(IDatabase database, RedisKey? key)
        : this(database, key, slotOf: null)
    {
    }

    /// <summary>
    /// Binds the structure to <paramref name="key"/>, or, when it is <see langword="null"/>, to a new random key
    /// owned by this object and in the hash slot of <paramref name="slotOf"/> when given (a result computed
    /// from another structure by one script must be in its slot on Redis Cluster).
    /// </summary>
    /// <param name="database">The Redis database to use.</param>
    /// <param name="key">The key, or <see langword="null"/> for a random key owned by this object.</param>
    /// <param name="slotOf">A key whose slot a random key must share, or <see langword="null"/> for any slot.</param>
    /// <exception cref="RandomKeyException">No unused random key could be found.</exception>
    private protected RedisObject(IDatabase database, RedisKey? key, RedisKey? slotOf)
    {
        ArgumentNullException.ThrowIfNull(database);
        Database = database;
        OwnsKey = key is null;
        Key = (key, slotOf) switch
        {
            ({ } named, _) => named,
            (null, { } source) => RandomKey.Create(database, RandomKey.DefaultPrefix + "{" + TemporaryKey.SameSlotTag(source) + "}:"),
            _ => RandomKey.Create(database),
        };
    }

    /// <summary>The Redis database the structure lives in.</summary>
    public IDatabase Database { get; }

    /// <summary>The Redis key holding the structure.</summary>
    public RedisKey Key { get; }

    /// <summary>Whether the key is a random one that this object deletes when disposed.</summary>
    public bool OwnsKey { get; }

    /// <summary>The key as a string, made once: metrics, spans and logs name the structure by it.</summary>
    internal string KeyName => _keyName ??= Key.ToString();

    /// <summary>The Redis type this structure stores at <see cref="Key"/>, named in WRONGTYPE errors.</summary>
    private protected abstract RedisType RedisType { get; }

    /// <summary>Deletes the key if it is a random one this object owns; afterwards the structure refuses every command.</summary>
    public void Dispose()
    {
        Sync.Wait(DisposeAsync());
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the key if it is a random one this object owns; afterwards the structure refuses every command.</summary>
    /// <returns>A task that completes when the key is deleted.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Disposing, Live) == Live)
        {
            try
            {
                // Still Disposing, so a structure's own clean-up may send its commands.
                ReleaseResources();
            }
            finally
            {
                Volatile.Write(ref _state, Disposed);
            }

            if (OwnsKey)
            {
                await RedisCall.Async(Database, Key, RedisType, 0, static (database, key, _) => database.KeyDeleteAsync(key), CancellationToken.None).ConfigureAwait(false);
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Releases what a structure holds besides its key (helper keys of a random-key structure,
    /// subscriptions); called once, by whichever dispose method comes first, while commands are still allowed.
    /// </summary>
    private protected virtual void ReleaseResources()
    {
    }

    /// <summary>Whether the structure was disposed and refuses commands.</summary>
    private protected bool IsDisposed => Volatile.Read(ref _state) == Disposed;

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the structure was disposed.</summary>
    /// <exception cref="ObjectDisposedException">The structure was disposed.</exception>
    private protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Sends a command on <see cref="Key"/> through the one call path (<see cref="RedisCall"/>) and maps its reply.</summary>
    /// <remarks>Once the structure is disposed, the task fails with <see cref="ObjectDisposedException"/> and nothing is sent.</remarks>
    private protected ValueTask<TResult> CallAsync<TState, TReply, TResult>(TState state, Func<IDatabase, RedisKey, TState, Task<TReply>> send, Func<TReply, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        IsDisposed ? ValueTask.FromException<TResult>(DisposedError()) : RedisCall.Async(Database, Key, RedisType, state, send, map, cancellationToken);

    /// <summary>Sends a command on one <paramref name="field"/> of <see cref="Key"/>, named in translated errors, and maps its reply.</summary>
    /// <remarks>Once the structure is disposed, the task fails with <see cref="ObjectDisposedException"/> and nothing is sent.</remarks>
    private protected ValueTask<TResult> CallAsync<TState, TReply, TResult>(RedisValue field, TState state, Func<IDatabase, RedisKey, TState, Task<TReply>> send, Func<TReply, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        IsDisposed ? ValueTask.FromException<TResult>(DisposedError()) : RedisCall.Async(Database, Key, RedisType, field, state, send, map, cancellationToken);

    /// <summary>Sends a command on <see cref="Key"/> whose reply the caller does not need.</summary>
    /// <remarks>Once the structure is disposed, the task fails with <see cref="ObjectDisposedException"/> and nothing is sent.</remarks>
    private protected ValueTask CallAsync<TState>(TState state, Func<IDatabase, RedisKey, TState, Task> send, CancellationToken cancellationToken) =>
        IsDisposed ? ValueTask.FromException(DisposedError()) : RedisCall.Async(Database, Key, RedisType, state, send, cancellationToken);

    /// <summary>Runs a Lua script on <see cref="Key"/> (and the other keys it names) through StackExchange.Redis' script cache and maps its reply.</summary>
    /// <remarks>Once the structure is disposed, the task fails with <see cref="ObjectDisposedException"/> and nothing is sent.</remarks>
    private protected ValueTask<TResult> EvaluateAsync<TState, TResult>(RedisScript script, RedisKey[] keys, RedisValue[] values, TState state, Func<RedisResult, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        IsDisposed ? ValueTask.FromException<TResult>(DisposedError()) : RedisCall.Script(Database, Key, RedisType, script, keys, values, state, map, cancellationToken);

    /// <summary>
    /// Runs a Lua script like <see cref="EvaluateAsync"/>, even once the structure was disposed: for giving
    /// back what this process alone holds (an item a take removed but nobody received), which must not
    /// be lost with the object. Callers stop giving back to a random key that was deleted.
    /// </summary>
    private protected ValueTask<TResult> EvaluateEvenIfDisposedAsync<TState, TResult>(RedisScript script, RedisKey[] keys, RedisValue[] values, TState state, Func<RedisResult, TState, RedisKey, TResult> map) =>
        RedisCall.Script(Database, Key, RedisType, script, keys, values, state, map, CancellationToken.None);

    /// <summary>
    /// The answer of a lookup of a value the codec has no form for (see <see cref="CodecLookup"/>):
    /// <paramref name="answer"/> (false, or -1 for a position), without a command, after what a
    /// disposed structure or a cancelled token would still say first.
    /// </summary>
    private protected ValueTask<TResult> NeverStoredAsync<TResult>(TResult answer, CancellationToken cancellationToken) =>
        IsDisposed ? ValueTask.FromException<TResult>(DisposedError())
        : cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<TResult>(cancellationToken)
        : new(answer);

    /// <summary>The answers of a membership test none of whose values the codec could encode: all false, without a command.</summary>
    private protected ValueTask<bool[]> NeverStoredAsync(LookupBatch lookups, CancellationToken cancellationToken) =>
        lookups.Count == 0 ? new([])
        : IsDisposed ? ValueTask.FromException<bool[]>(DisposedError())
        : cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<bool[]>(cancellationToken)
        : new(new bool[lookups.Count]);

    /// <summary>The error of a command on a disposed structure.</summary>
    private protected ObjectDisposedException DisposedError() =>
        new(GetType().Name, OwnsKey
            ? $"This structure was disposed and its random key '{Key}' deleted; a command now would create the key again, and nothing would delete it."
            : $"This structure over the key '{Key}' was disposed.");

    /// <summary>
    /// Writes a new structure's initial contents only if <see cref="Key"/> does not exist yet, in
    /// one MULTI/EXEC guarded by <c>WATCH</c> (pottery refuses to merge into existing data too).
    /// </summary>
    /// <param name="write">Queues the writes on the transaction, given the key; its tasks must not be awaited.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <exception cref="KeyExistsException">The key already exists; nothing was written.</exception>
    private protected async ValueTask WriteInitialContentsAsync(Action<ITransaction, RedisKey> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await CallAsync(
            write,
            static (database, key, write) =>
            {
                var transaction = database.CreateTransaction();
                transaction.AddCondition(Condition.KeyNotExists(key));
                write(transaction, key);
                return transaction.ExecuteAsync();
            },
            static (committed, _, key) => committed
                ? true
                : throw new KeyExistsException($"Redis key '{key}' already exists, so it cannot be created with initial contents. Omit the contents to use the existing data, or choose another key.", key.ToString()),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether one Lua script may touch both this structure's key and <paramref name="other"/>'s:
    /// same connection and database, and on Redis Cluster the same hash slot.
    /// </summary>
    /// <param name="other">The other structure.</param>
    /// <returns><see langword="true"/> when server-side work between the two is possible.</returns>
    private protected bool SharesScriptScopeWith(RedisObject other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(Database.Multiplexer, other.Database.Multiplexer) || Database.Database != other.Database.Database)
        {
            return false;
        }

        return HashSlot.Of(Key) == HashSlot.Of(other.Key)
            || !Database.Multiplexer.GetServers().Any(server => server.ServerType == ServerType.Cluster);
    }
}

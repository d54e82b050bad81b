using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The base of every Redis-backed structure: the database and key it lives at, and ownership
/// of random keys. A structure created without a key gets a random unused key under
/// <c>pottery:</c> and deletes it when disposed (pottery deletes it when garbage-collected;
/// .NET makes that explicit). A structure over a key you named never deletes it.
/// </summary>
public abstract class RedisObject : IDisposable, IAsyncDisposable
{
    private int _disposed;

    /// <summary>Binds the structure to <paramref name="key"/>, or to a new random key when it is <see langword="null"/>.</summary>
    /// <param name="database">The Redis database to use.</param>
    /// <param name="key">The key, or <see langword="null"/> for a random key owned by this object.</param>
    /// <exception cref="RandomKeyException">No unused random key could be found.</exception>
    protected RedisObject(IDatabase database, RedisKey? key)
    {
        ArgumentNullException.ThrowIfNull(database);
        Database = database;
        OwnsKey = key is null;
        Key = OwnsKey ? RandomKey.Create(database) : key!.Value;
    }

    /// <summary>The Redis database the structure lives in.</summary>
    public IDatabase Database { get; }

    /// <summary>The Redis key holding the structure.</summary>
    public RedisKey Key { get; }

    /// <summary>Whether the key is a random one that this object deletes when disposed.</summary>
    public bool OwnsKey { get; }

    /// <summary>The Redis type this structure stores at <see cref="Key"/>, named in WRONGTYPE errors.</summary>
    protected abstract RedisType RedisType { get; }

    /// <summary>Deletes the key if it is a random one this object owns.</summary>
    public void Dispose()
    {
        if (OwnsKey && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            RedisErrors.Run(Database, Key, RedisType, () => Database.KeyDelete(Key));
        }

        ReleaseResources();
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the key if it is a random one this object owns.</summary>
    /// <returns>A task that completes when the key is deleted.</returns>
    public async ValueTask DisposeAsync()
    {
        if (OwnsKey && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await RedisErrors.RunAsync(Database, Key, RedisType, () => Database.KeyDeleteAsync(Key), CancellationToken.None).ConfigureAwait(false);
        }

        ReleaseResources();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a structure holds besides its key (e.g. dedicated connections); called by both dispose methods.</summary>
    protected virtual void ReleaseResources()
    {
    }

    /// <summary>Sends a command on <see cref="Key"/> through the one call path (<see cref="RedisCall"/>) and maps its reply.</summary>
    private protected ValueTask<TResult> CallAsync<TState, TReply, TResult>(TState state, Func<IDatabase, RedisKey, TState, Task<TReply>> send, Func<TReply, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        RedisCall.Async(Database, Key, RedisType, state, send, map, cancellationToken);

    /// <summary>Sends a command on <see cref="Key"/> whose reply the caller does not need.</summary>
    private protected ValueTask CallAsync<TState>(TState state, Func<IDatabase, RedisKey, TState, Task> send, CancellationToken cancellationToken) =>
        RedisCall.Async(Database, Key, RedisType, state, send, cancellationToken);

    /// <summary>Runs a Lua script on <see cref="Key"/> (and the other keys it names) through StackExchange.Redis' script cache and maps its reply.</summary>
    private protected ValueTask<TResult> EvaluateAsync<TState, TResult>(RedisScript script, RedisKey[] keys, RedisValue[] values, TState state, Func<RedisResult, TState, RedisKey, TResult> map, CancellationToken cancellationToken) =>
        RedisCall.Script(Database, Key, RedisType, script, keys, values, state, map, cancellationToken);

    /// <summary>Runs a Redis call on <see cref="Key"/>, translating WRONGTYPE and connection failures.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call.</param>
    /// <returns>The call's result.</returns>
    protected T Call<T>(Func<T> call) => RedisErrors.Run(Database, Key, RedisType, call);

    /// <summary>Runs an asynchronous Redis call on <see cref="Key"/>, translating WRONGTYPE and connection failures.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The call's result.</returns>
    protected Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        RedisErrors.RunAsync(Database, Key, RedisType, call, cancellationToken);

    /// <summary>
    /// The allocation-lean form of the closure form of CallAsync for hot paths: <paramref name="send"/>
    /// and <paramref name="map"/> should be static lambdas that take their data from
    /// <paramref name="state"/>, so no closure is allocated; nothing is sent when the token is cancelled.
    /// </summary>
    /// <typeparam name="TState">The data the lambdas need.</typeparam>
    /// <typeparam name="TReply">What Redis replies.</typeparam>
    /// <typeparam name="TResult">What the caller gets.</typeparam>
    /// <param name="state">The data the lambdas need.</param>
    /// <param name="send">Sends the command.</param>
    /// <param name="map">Turns the reply into the result.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The result.</returns>
    protected Task<TResult> CallAsync<TState, TReply, TResult>(TState state, Func<TState, Task<TReply>> send, Func<TState, TReply, TResult> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<TResult>(cancellationToken)
            : RedisErrors.AwaitAsync(send(state), state, map, Database, Key, RedisType, cancellationToken);
    }

    /// <summary>Runs a Lua script on <see cref="Key"/> (and any other keys it names), translating failures.</summary>
    /// <param name="script">The script.</param>
    /// <param name="keys">Every key the script touches, <see cref="Key"/> usually first.</param>
    /// <param name="values">The script's arguments.</param>
    /// <returns>The script's result.</returns>
    protected RedisResult Evaluate(RedisScript script, RedisKey[] keys, RedisValue[] values)
    {
        ArgumentNullException.ThrowIfNull(script);
        return Call(() => script.Evaluate(Database, keys, values));
    }

    /// <summary>Runs a Lua script on <see cref="Key"/> (and any other keys it names), translating failures.</summary>
    /// <param name="script">The script.</param>
    /// <param name="keys">Every key the script touches, <see cref="Key"/> usually first.</param>
    /// <param name="values">The script's arguments.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The script's result.</returns>
    protected Task<RedisResult> EvaluateAsync(RedisScript script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        return CallAsync(() => script.EvaluateAsync(Database, keys, values), cancellationToken);
    }

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
    protected bool SharesScriptScopeWith(RedisObject other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(Database.Multiplexer, other.Database.Multiplexer) || Database.Database != other.Database.Database)
        {
            return false;
        }

        return HashSlot.Of(Key) == HashSlot.Of(other.Key)
            || !Database.Multiplexer.GetServers().Any(server => server.ServerType == ServerType.Cluster);
    }

    /// <summary>Streams a cursor-based scan, translating failures of each page fetch.</summary>
    /// <typeparam name="TItem">What the scan yields.</typeparam>
    /// <param name="scan">The scan, e.g. <c>Database.HashScan(Key)</c>.</param>
    /// <returns>The scanned items.</returns>
    protected IEnumerable<TItem> Stream<TItem>(IEnumerable<TItem> scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        using var items = Call(scan.GetEnumerator);
        while (Call(items.MoveNext))
        {
            yield return items.Current;
        }
    }

    /// <summary>Streams a cursor-based scan, translating failures of each page fetch.</summary>
    /// <typeparam name="TItem">What the scan yields.</typeparam>
    /// <param name="scan">The scan, e.g. <c>Database.HashScanAsync(Key)</c>.</param>
    /// <param name="cancellationToken">Stops the scan between pages.</param>
    /// <returns>The scanned items.</returns>
    protected async IAsyncEnumerable<TItem> StreamAsync<TItem>(IAsyncEnumerable<TItem> scan, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var items = scan.GetAsyncEnumerator(cancellationToken);
        await using (items.ConfigureAwait(false))
        {
            while (await CallAsync(() => items.MoveNextAsync().AsTask(), cancellationToken).ConfigureAwait(false))
            {
                yield return items.Current;
            }
        }
    }
}

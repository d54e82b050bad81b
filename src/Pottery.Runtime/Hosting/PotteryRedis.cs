using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Pottery's view of Redis in a host, resolved from the container after <c>AddPottery</c>: the
/// database with the key prefix and database number applied, and the masters that locks and ID
/// generators take a quorum of. Generated <c>[Synchronize]</c> and <c>[RedisDict]</c> classes are made from it.
/// </summary>
public sealed class PotteryRedis
{
    internal PotteryRedis(IConnectionMultiplexer connection, IDatabase database, IReadOnlyList<IDatabase> lockMasters, PotteryOptions options)
    {
        Connection = connection;
        Database = database;
        LockMasters = lockMasters;
        Options = options;
    }

    /// <summary>The main connection: the container's <c>IConnectionMultiplexer</c>, or the one Pottery made from <see cref="PotteryOptions.ConnectionString"/>.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>The main database, with <see cref="PotteryOptions.KeyPrefix"/> and <see cref="PotteryOptions.Database"/> applied.</summary>
    public IDatabase Database { get; }

    /// <summary>The independent masters of locks and ID generators: <see cref="Database"/> first, then one per <see cref="PotteryOptions.LockMasters"/> string, each with the key prefix.</summary>
    public IReadOnlyList<IDatabase> LockMasters { get; }

    /// <summary>How many of <see cref="LockMasters"/> must agree: n/2+1.</summary>
    public int Quorum => LockMasters.Count / 2 + 1;

    /// <summary>The validated options Pottery was set up with.</summary>
    public PotteryOptions Options { get; }
}

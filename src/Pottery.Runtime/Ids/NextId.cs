using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Increasing IDs agreed by a quorum of independent Redis masters (pottery's <c>NextID</c>), kept
/// at <c>nextid:&lt;key&gt;</c> on each. IDs from one generator strictly increase, no two
/// generators ever get the same ID, and there may be holes.
/// </summary>
/// <remarks>
/// Each ID is one round trip to all masters in parallel: the generator proposes a number and
/// every master issues it if it is above what the master holds, or else the master's next number
/// (a Lua script), so each master issues a number at most once and a number can win a quorum at
/// most once. On one master every call succeeds at once. When the masters issued different
/// numbers (other generators drew in between, in another order on each), the generator proposes
/// again above all of them, with a random gap that grows with each try so competing generators
/// stop colliding. Concurrent calls on one instance overlap: each draws its own number.
/// </remarks>
public sealed class NextId
{
    private readonly IDatabase[] _masters;
    private readonly RedisKey[] _keys;
    private long _highest;

    /// <summary>Creates a generator over <paramref name="masters"/>.</summary>
    /// <param name="key">The sequence's name; Redis keys are <c>nextid:&lt;key&gt;</c>.</param>
    /// <param name="masters">One database per independent master.</param>
    /// <param name="maxTries">How many proposals one ID may take before giving up (pottery's <c>num_tries</c>); 3 by default.</param>
    public NextId(string key, IEnumerable<IDatabase> masters, int maxTries = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(masters);
        _masters = masters.ToArray();
        if (_masters.Length == 0)
        {
            throw new ArgumentException("A generator needs at least one master.", nameof(masters));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxTries, 1);
        MaxTries = maxTries;
        Key = "nextid:" + key;
        _keys = [Key];
    }

    /// <summary>Creates a generator on a single Redis server.</summary>
    /// <param name="key">The sequence's name; the Redis key is <c>nextid:&lt;key&gt;</c>.</param>
    /// <param name="master">The server's database.</param>
    /// <param name="maxTries">How many proposals one ID may take before giving up.</param>
    public NextId(string key, IDatabase master, int maxTries = 3)
        : this(key, [master], maxTries)
    {
    }

    /// <summary>The Redis key on every master.</summary>
    public RedisKey Key { get; }

    /// <summary>How many proposals one ID may take (pottery's <c>num_tries</c>).</summary>
    public int MaxTries { get; }

    /// <summary>How many masters must agree: n/2+1.</summary>
    public int Quorum => _masters.Length / 2 + 1;

    /// <summary>The next ID (pottery's <c>next(ids)</c>).</summary>
    /// <returns>An ID greater than every ID this generator returned before.</returns>
    /// <exception cref="QuorumNotAchievedException">No proposal won a quorum in <see cref="MaxTries"/> tries.</exception>
    public long Next() => Sync.Wait(NextAsync());

    /// <summary>The next ID.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>An ID greater than every ID this generator returned before.</returns>
    /// <exception cref="QuorumNotAchievedException">No proposal won a quorum in <see cref="MaxTries"/> tries.</exception>
    public async ValueTask<long> NextAsync(CancellationToken cancellationToken = default)
    {
        var gap = 0;
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Concurrent calls on this instance draw distinct numbers, so they do not collide with each other.
            var proposal = Interlocked.Add(ref _highest, 1 + (gap == 0 ? 0 : Random.Shared.Next(gap)));
            var replies = await MasterRounds.RunAsync(_masters, NextIdScripts.Propose, _keys, [proposal], Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            var (id, votes, failed, seen) = Tally(replies);
            RaiseHighest(seen);
            if (votes >= Quorum)
            {
                return id;
            }

            if (failed > _masters.Length - Quorum)
            {
                break;
            }

            gap = gap == 0 ? 8 : gap * 8;
        }

        throw IdTelemetry.QuorumNotAchieved(new($"No ID for '{Key}' was agreed by {Quorum} of {_masters.Length} masters in {MaxTries} tries.", Key.ToString()));
    }

    /// <summary>Forgets the sequence on every master, so it starts again from 1 (pottery's <c>reset</c>).</summary>
    /// <exception cref="QuorumNotAchievedException">Fewer than <see cref="Quorum"/> masters could be reached; the inner exception says why.</exception>
    public void Reset() => Sync.Wait(ResetAsync());

    /// <summary>
    /// Forgets the sequence on every master, so it starts again from 1 (pottery's <c>reset</c>). It
    /// succeeds once a quorum did, as pottery's does; a master down meanwhile keeps its number and
    /// gives it up to the next ID agreed without it.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when a quorum of masters deleted it.</returns>
    /// <exception cref="QuorumNotAchievedException">Fewer than <see cref="Quorum"/> masters could be reached; the inner exception says why.</exception>
    public async ValueTask ResetAsync(CancellationToken cancellationToken = default)
    {
        var tally = await MasterRounds.CountAsync(_masters, NextIdScripts.Reset, _keys, [], Quorum, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        if (!tally.Agrees)
        {
            var cause = tally.FirstFailure is { } failure && RedisErrors.IsUnavailable(failure) ? RedisErrors.Unavailable(Key, failure) : tally.FirstFailure;
            throw IdTelemetry.QuorumNotAchieved(new($"'{Key}' was reset on only {tally.Agreed} of {_masters.Length} masters; {Quorum} must agree.", Key.ToString(), cause));
        }

        Volatile.Write(ref _highest, 0);
    }

    /// <summary>An endless stream of IDs, each drawn by <see cref="NextAsync"/> when asked for.</summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>IDs, each greater than the one before.</returns>
    public async IAsyncEnumerable<long> AsAsyncEnumerable([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            yield return await NextAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // The ID most masters issued and how many did, how many failed (a null reply), and the highest ID issued.
    private static (long Id, int Votes, int Failed, long Seen) Tally(RedisResult?[] replies)
    {
        var issued = new long[replies.Length];
        var (count, failed, seen) = (0, 0, 0L);
        foreach (var reply in replies)
        {
            if (reply is null)
            {
                failed++;
                continue;
            }

            issued[count] = (long)reply;
            seen = Math.Max(seen, issued[count++]);
        }

        var (id, votes) = (0L, 0);
        for (var i = 0; i < count; i++)
        {
            var same = issued.AsSpan(0, count).Count(issued[i]);
            (id, votes) = same > votes ? (issued[i], same) : (id, votes);
        }

        return (id, votes, failed, seen);
    }

    private void RaiseHighest(long seen)
    {
        var current = Volatile.Read(ref _highest);
        while (seen > current)
        {
            var previous = Interlocked.CompareExchange(ref _highest, seen, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }
}

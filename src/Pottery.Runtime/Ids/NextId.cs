using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Increasing IDs agreed by a quorum of independent Redis masters (pottery's <c>NextID</c>), kept
/// at <c>nextid:&lt;key&gt;</c> on each. IDs from one generator strictly increase, no two
/// generators ever get the same ID, and there may be holes.
/// </summary>
/// <remarks>
/// Each ID is one round trip to all masters in parallel: the generator proposes a number and
/// every master stores it only if it is greater than what it holds (a Lua compare-and-set), so a
/// number can win a quorum at most once. A rejected proposal learns the masters' current value
/// and tries again higher, with a random gap that grows with each try so competing generators
/// stop colliding. Concurrent calls on one instance overlap: each draws its own number.
/// </remarks>
public sealed class NextId : IAsyncEnumerable<long>
{
    private readonly IDatabase[] _masters;
    private readonly RedisKey[] _keys;
    private long _highest;

    /// <summary>Creates a generator over <paramref name="masters"/>.</summary>
    /// <param name="key">The sequence's name; Redis keys are <c>nextid:&lt;key&gt;</c>.</param>
    /// <param name="masters">One database per independent master.</param>
    /// <param name="numTries">How many proposals one ID may take before giving up; 3 by default, as pottery.</param>
    public NextId(string key, IEnumerable<IDatabase> masters, int numTries = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(masters);
        _masters = masters.ToArray();
        if (_masters.Length == 0)
        {
            throw new ArgumentException("A generator needs at least one master.", nameof(masters));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(numTries, 1);
        NumTries = numTries;
        Key = "nextid:" + key;
        _keys = [Key];
    }

    /// <summary>Creates a generator on a single Redis server.</summary>
    /// <param name="key">The sequence's name; the Redis key is <c>nextid:&lt;key&gt;</c>.</param>
    /// <param name="master">The server's database.</param>
    /// <param name="numTries">How many proposals one ID may take before giving up.</param>
    public NextId(string key, IDatabase master, int numTries = 3)
        : this(key, [master], numTries)
    {
    }

    /// <summary>The Redis key on every master.</summary>
    public RedisKey Key { get; }

    /// <summary>How many proposals one ID may take.</summary>
    public int NumTries { get; }

    /// <summary>How many masters must agree: n/2+1.</summary>
    public int Quorum => _masters.Length / 2 + 1;

    /// <summary>The next ID.</summary>
    /// <returns>An ID greater than every ID this generator returned before.</returns>
    /// <exception cref="QuorumNotAchievedException">No proposal won a quorum in <see cref="NumTries"/> tries.</exception>
    public long Next() => NextAsync().GetAwaiter().GetResult();

    /// <summary>The next ID.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>An ID greater than every ID this generator returned before.</returns>
    /// <exception cref="QuorumNotAchievedException">No proposal won a quorum in <see cref="NumTries"/> tries.</exception>
    public async Task<long> NextAsync(CancellationToken cancellationToken = default)
    {
        var gap = 0;
        for (var attempt = 0; attempt < NumTries; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Concurrent calls on this instance draw distinct numbers, so they do not collide with each other.
            var proposal = Interlocked.Add(ref _highest, 1 + (gap == 0 ? 0 : Random.Shared.Next(gap)));
            var replies = await ProposeAsync(proposal, cancellationToken).ConfigureAwait(false);
            var accepted = replies.Count(r => r is { } reply && (long)reply[0] == 1);
            RaiseHighest(replies.Where(r => r is not null).Select(r => (long)r![1]).DefaultIfEmpty(0).Max());
            if (accepted >= Quorum)
            {
                return proposal;
            }

            if (replies.Count(r => r is null) > _masters.Length - Quorum)
            {
                break;
            }

            gap = gap == 0 ? 8 : gap * 8;
        }

        throw new QuorumNotAchievedException($"No ID for '{Key}' was agreed by {Quorum} of {_masters.Length} masters in {NumTries} tries.", Key.ToString());
    }

    /// <summary>Forgets the sequence on every master, so it starts again from 1 (pottery's <c>reset</c>).</summary>
    public void Reset() => ResetAsync().GetAwaiter().GetResult();

    /// <summary>Forgets the sequence on every master, so it starts again from 1.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when every master deleted it.</returns>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_masters.Select(master => master.KeyDeleteAsync(Key))).WaitAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _highest, 0);
    }

    /// <summary>An endless stream of IDs.</summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>IDs, each greater than the one before.</returns>
    public async IAsyncEnumerator<long> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            yield return await NextAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // A master that fails counts as a rejection; the wait is StackExchange.Redis' own timeout.
    private async Task<RedisResult[]?[]> ProposeAsync(long proposal, CancellationToken cancellationToken)
    {
        var replies = await MasterRounds.RunAsync(_masters, NextIdScripts.Propose, _keys, [proposal], Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return Array.ConvertAll(replies, static reply => reply is null ? null : (RedisResult[])reply!);
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

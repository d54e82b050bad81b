namespace Pottery;

/// <summary>
/// Lua scripts of <see cref="RedisReaderWriterLock"/>, timed by the server's clock (<c>TIME</c>) so
/// that clients' clocks never matter. KEYS[1] is the sorted set of readers (tokens scored by the
/// millisecond their lease ends), KEYS[2] the sorted set of the writer (one token at most, scored
/// the same way), KEYS[3] the writers' waiting line (tokens scored by their arrival in
/// microseconds), KEYS[4] the waiting writers' leases (tokens scored by the millisecond they lapse).
/// Every key expires with the last lease it holds, so a lock nobody uses leaves nothing behind.
/// </summary>
/// <remarks>
/// Announcements go to <c>KEYS[1] .. ARGV[1]</c>, naming the first waiting writer's token
/// (<see cref="WakeMode.Addressed"/>), when the lock may be free for it (no writer, no reader) and to <c>KEYS[1] .. ARGV[2]</c> when it may be
/// free for readers (no writer held or waiting any more, after one was); see <see cref="WakeUpChannel"/>.
/// Expired leases and lapsed waiters are removed first by every acquire.
/// </remarks>
internal static class ReaderWriterLockScripts
{
    // Shared head: the server's time, expired holders and lapsed waiting writers removed, and the
    // announcement of whatever that (or the script's own change) may have freed.
    private const string Head = WaitingLineScripts.Functions + """
        local function lapse()
          local readers = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
          local writers = redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
          return readers, writers + lapseLine(KEYS[3], KEYS[4])
        end
        local function announce(writerGone)
          if redis.call('EXISTS', KEYS[2]) == 1 then return end
          local first = redis.call('ZRANGE', KEYS[3], 0, 0)
          if first[1] then
            if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('PUBLISH', KEYS[1] .. ARGV[1], first[1]) end
          elseif writerGone then
            redis.call('PUBLISH', KEYS[1] .. ARGV[2], '')
          end
        end
        """;

    /// <summary>
    /// One try for read lease ARGV[3] of ARGV[4] ms: granted when no writer holds the lock and none
    /// waits (writers first). 1 granted, 0 not.
    /// </summary>
    public static readonly RedisScript AcquireRead = WithHead("""
        local readersGone, writersGone = lapse()
        local granted = 0
        if redis.call('EXISTS', KEYS[2]) == 0 and redis.call('EXISTS', KEYS[3]) == 0 then
          redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
          local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
          redis.call('PEXPIREAT', KEYS[1], last[2])
          granted = 1
        end
        if readersGone + writersGone > 0 then announce(writersGone > 0) end
        return granted
        """);

    /// <summary>
    /// One try for write lease ARGV[3] of ARGV[4] ms: granted when nobody holds the lock and the
    /// caller is first in the writers' line, a caller not in line counting as its last. Otherwise,
    /// when ARGV[5] (the waiter's lease, ms) is not 0, the caller joins the line (or renews its
    /// place), which keeps new readers out. 1 granted, 0 not.
    /// </summary>
    public static readonly RedisScript AcquireWrite = WithHead("""
        local readersGone, writersGone = lapse()
        local rank = redis.call('ZRANK', KEYS[3], ARGV[3])
        if not rank then rank = redis.call('ZCARD', KEYS[3]) end
        local granted = 0
        if rank == 0 and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[2]) == 0 then
          local ends = now + tonumber(ARGV[4])
          redis.call('ZADD', KEYS[2], ends, ARGV[3])
          redis.call('PEXPIREAT', KEYS[2], ends)
          redis.call('ZREM', KEYS[3], ARGV[3])
          redis.call('ZREM', KEYS[4], ARGV[3])
          granted = 1
        elseif ARGV[5] ~= '0' then
          joinLine(KEYS[3], KEYS[4], ARGV[3], ARGV[5])
        end
        if readersGone + writersGone > 0 then announce(writersGone > 0) end
        return granted
        """);

    /// <summary>
    /// Gives back lease ARGV[3], held in KEYS[ARGV[4]] (1 a read, 2 the write), and announces what
    /// that freed; 1 when it was still held, 0 when it was not (gone, or its lease had ended: it is
    /// removed then all the same).
    /// </summary>
    public static readonly RedisScript Release = WithHead("""
        local held = KEYS[tonumber(ARGV[4])]
        local ends = redis.call('ZSCORE', held, ARGV[3])
        if not ends then return 0 end
        redis.call('ZREM', held, ARGV[3])
        local _, writersGone = lapse()
        announce(ARGV[4] == '2' or writersGone > 0)
        if tonumber(ends) <= now then return 0 end
        return 1
        """);

    /// <summary>
    /// Undoes an acquire that gave up (cancelled, timed out, failed): token ARGV[3] leaves the
    /// writers' line and, had a try the caller no longer waited for granted it, the lock; then
    /// announces what that freed. How many places it left.
    /// </summary>
    public static readonly RedisScript Abandon = WithHead("""
        local reading = redis.call('ZREM', KEYS[1], ARGV[3])
        local writing = redis.call('ZREM', KEYS[2], ARGV[3]) + redis.call('ZREM', KEYS[3], ARGV[3])
        redis.call('ZREM', KEYS[4], ARGV[3])
        local readersGone, writersGone = lapse()
        if reading + writing + readersGone + writersGone > 0 then announce(writing + writersGone > 0) end
        return reading + writing
        """);

    /// <summary>How many unexpired leases KEYS[1] (the readers, or the writer) holds.</summary>
    public static readonly RedisScript Holders = new("""
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
        """);

    private static RedisScript WithHead(string body) => new(Head + "\n" + body);
}

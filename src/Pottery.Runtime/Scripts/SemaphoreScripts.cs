namespace Pottery;

/// <summary>
/// Lua scripts of <see cref="RedisSemaphore"/>, timed by the server's clock (<c>TIME</c>) so that
/// clients' clocks never matter. KEYS[1] is the sorted set of held permits (tokens scored by the
/// millisecond their lease ends), KEYS[2] the waiting line (tokens scored by their arrival in
/// microseconds), KEYS[3] the waiters' leases (tokens scored by the millisecond they lapse). Every
/// key expires with the last lease it holds, so a semaphore nobody uses leaves nothing behind.
/// Announcements go to <c>KEYS[1] .. suffix</c> (see <see cref="WakeUpChannel"/>): a release grants
/// the permit to the waiter whose turn it is and names it (<see cref="WakeMode.Addressed"/>), wherever
/// it runs; a lapse says <see cref="WakeUpChannel.EveryoneMessage"/> and the waiters try again.
/// </summary>
internal static class SemaphoreScripts
{
    /// <summary>
    /// <c>giveBack(token, permits, suffix)</c>: the body of <see cref="Release"/>, also run by a try that
    /// a local holder handed its release to. Needs <see cref="WaitingLineScripts.Functions"/> before it.
    /// </summary>
    private const string GiveBack = """
        local function giveBack(token, permits, suffix)
          local ends = redis.call('ZSCORE', KEYS[1], token)
          if not ends then return 0 end
          redis.call('ZREM', KEYS[1], token)
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
          lapseLine(KEYS[2], KEYS[3])
          local free = permits - redis.call('ZCARD', KEYS[1])
          if free > 0 then
            local turn = redis.call('ZRANGE', KEYS[2], 0, free - 1)
            for i = 1, #turn do
              local lease = tonumber(string.match(turn[i], ':(%d+)$'))
              if lease then
                redis.call('ZADD', KEYS[1], now + lease, turn[i])
                redis.call('ZREM', KEYS[2], turn[i])
                redis.call('ZREM', KEYS[3], turn[i])
                redis.call('PUBLISH', KEYS[1] .. suffix, turn[i])
              end
            end
            local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            if last[2] then redis.call('PEXPIREAT', KEYS[1], last[2]) end
          end
          if tonumber(ends) <= now then return 0 end
          return 1
        end
        """ + "\n";

    /// <summary>
    /// One try for permit ARGV[1] of ARGV[2] permits, leased for ARGV[3] ms. Expired permits and
    /// lapsed waiters go first. The try is granted when the caller already holds the permit (a release
    /// granted it while the caller waited: its lease restarts now), or when fewer than ARGV[2] permits
    /// are held and the caller is among the first (free permits) of the line, a caller not in line
    /// counting as its last. Otherwise, when ARGV[4] (the waiter's lease, ms) is not 0, the caller
    /// joins the line (or renews its place). When something lapsed and a permit is still free for
    /// someone in line, the try announces it on KEYS[1] .. ARGV[5]. When ARGV[6] is not empty, permit
    /// ARGV[6] is given back first (see <see cref="Release"/>): a holder of the caller's process handed
    /// the caller its turn and left the release to the caller's try. Returns whether the try was
    /// granted (1 or 0) and how many wait in line after it.
    /// </summary>
    public static readonly RedisScript Acquire = new(WaitingLineScripts.Functions + GiveBack + """
        if ARGV[6] and ARGV[6] ~= '' then giveBack(ARGV[6], tonumber(ARGV[2]), ARGV[5]) end
        local lapsed = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local gone = lapseLine(KEYS[2], KEYS[3])
        local granted = redis.call('ZSCORE', KEYS[1], ARGV[1]) and 1 or 0
        if granted == 0 then
          local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
          if not rank then rank = redis.call('ZCARD', KEYS[2]) end
          if rank < tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1]) then
            granted = 1
          elseif ARGV[4] ~= '0' then
            joinLine(KEYS[2], KEYS[3], ARGV[1], ARGV[4])
          end
        end
        if granted == 1 then
          redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
          redis.call('ZREM', KEYS[2], ARGV[1])
          redis.call('ZREM', KEYS[3], ARGV[1])
          local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
          redis.call('PEXPIREAT', KEYS[1], last[2])
        end
        if (lapsed > 0 or gone > 0) and redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) and redis.call('ZCARD', KEYS[2]) > 0 then
          redis.call('PUBLISH', KEYS[1] .. ARGV[5], 'all')
        end
        return {granted, redis.call('ZCARD', KEYS[2])}
        """);

    /// <summary>
    /// Resets permit ARGV[1]'s lease to ARGV[2] ms from now if it is still held. -1 when it is not held;
    /// otherwise how many wait in the line KEYS[2] (0 when no line is given).
    /// </summary>
    public static readonly RedisScript Extend = new("""
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local ends = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not ends or tonumber(ends) <= now then return -1 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        redis.call('PEXPIREAT', KEYS[1], last[2])
        if KEYS[2] then return redis.call('ZCARD', KEYS[2]) end
        return 0
        """);

    /// <summary>
    /// Gives permit ARGV[1] (of ARGV[3] permits) back and grants every free permit to the waiters
    /// whose turn it is, first in line first, each for the lease its token ends with
    /// (<c>&lt;random&gt;:&lt;ms&gt;</c>), announcing each grant on KEYS[1] .. ARGV[2] with the
    /// waiter's token: the waiter then holds the permit without another try. Expired permits and
    /// lapsed waiters go first, so a waiter whose process died is not granted past its own lease.
    /// 1 when the permit was still held, 0 when it was not (gone, or its lease had ended: it is
    /// removed then all the same).
    /// </summary>
    public static readonly RedisScript Release = new(WaitingLineScripts.Functions + GiveBack + """
        return giveBack(ARGV[1], tonumber(ARGV[3]), ARGV[2])
        """);

    /// <summary>
    /// Undoes an acquire that gave up (cancelled, timed out, failed): token ARGV[1] leaves the line
    /// and, had a try the caller no longer waited for granted it, the permits. When a permit is free
    /// for someone still in line (of ARGV[2] permits), announces it on KEYS[1] .. ARGV[3].
    /// </summary>
    public static readonly RedisScript Abandon = new("""
        local left = redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        if left > 0 and redis.call('ZCARD', KEYS[2]) > 0 and redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
          redis.call('PUBLISH', KEYS[1] .. ARGV[3], 'all')
        end
        return left
        """);

    /// <summary>How many of ARGV[1] permits no unexpired lease holds.</summary>
    public static readonly RedisScript Available = new("""
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local free = tonumber(ARGV[1]) - redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
        if free < 0 then return 0 end
        return free
        """);
}

namespace Pottery;

/// <summary>
/// The Lua functions of a fair waiting line, shared by the scripts of the leased primitives
/// (<see cref="SemaphoreScripts"/>, <see cref="ReaderWriterLockScripts"/>): a sorted set of waiters'
/// tokens scored by arrival (server time, microseconds) and a sorted set of their leases (ms), both
/// expiring with the last lease. Prepended to a script's body; they read <c>clock</c> and <c>now</c>.
/// </summary>
internal static class WaitingLineScripts
{
    /// <summary>
    /// <c>joinLine(line, leases, token, leaseMs)</c> puts <c>token</c> in line (keeping its place) and
    /// renews its lease; <c>lapseLine(line, leases)</c> removes waiters whose lease ended and returns how many.
    /// </summary>
    public const string Functions = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local function joinLine(line, leases, token, leaseMs)
          redis.call('ZADD', line, 'NX', clock[1] .. string.format('%06d', tonumber(clock[2])), token)
          redis.call('ZADD', leases, now + tonumber(leaseMs), token)
          local last = redis.call('ZRANGE', leases, -1, -1, 'WITHSCORES')
          redis.call('PEXPIREAT', line, last[2])
          redis.call('PEXPIREAT', leases, last[2])
        end
        local function lapseLine(line, leases)
          local gone = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 100)
          for i = 1, #gone do
            redis.call('ZREM', line, gone[i])
            redis.call('ZREM', leases, gone[i])
          end
          return #gone
        end
        """ + "\n";
}

namespace Pottery;

/// <summary>
/// Lua scripts for the rate limiters: one acquire is one script, which reads the limiter's state,
/// decides and records the grant in one atomic step, so callers in any number of processes never
/// grant more than the limit between them. Time is the server's (<c>TIME</c>, in microseconds), so
/// the callers' clocks do not matter. Each limiter is one key, so it lives in one cluster slot.
/// </summary>
/// <remarks>
/// <para>Both reply <c>{granted (1 or 0), permits available afterwards, microseconds until the permits
/// asked for can be granted (0 when granted)}</c>. Asking for 0 permits asks whether at least one is
/// available, and takes nothing.</para>
/// <para>Times are written with <c>string.format('%d')</c>: a Lua number handed to <c>redis.call</c>
/// as it is may be formatted with fewer digits than a microsecond timestamp has.</para>
/// </remarks>
internal static class RateLimitScripts
{
    /// <summary>
    /// A token bucket in hash KEYS[1] (fields <c>tokens</c> and <c>time</c>). ARGV: the capacity, the
    /// tokens added per period, the period in microseconds, the permits asked for. Tokens are added in
    /// whole periods counted from the bucket's creation, so between any two instants at most
    /// <c>capacity + tokens per period × (whole periods between them + 1)</c> are granted. A missing
    /// bucket is a full one: the key expires once the bucket would be full again, and a bucket made
    /// anew starts its periods then, never sooner than the old one would have added tokens.
    /// </summary>
    public static readonly RedisScript TokenBucket = new("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local period = tonumber(ARGV[3])
        local wanted = tonumber(ARGV[4])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'time')
        local tokens = tonumber(state[1])
        local last = tonumber(state[2])
        if tokens == nil or last == nil then
          tokens = capacity
          last = now
        elseif now > last then
          local periods = math.floor((now - last) / period)
          tokens = tokens + periods * rate
          last = last + periods * period
        end
        if tokens > capacity then tokens = capacity end
        local need = math.max(wanted, 1)
        if tokens >= need then
          if wanted > 0 then
            tokens = tokens - wanted
            redis.call('HSET', KEYS[1], 'tokens', tokens, 'time', string.format('%d', last))
            local full = last + math.ceil((capacity - tokens) / rate) * period
            redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((full - now) / 1000)))
          end
          return {1, tokens, 0}
        end
        local until_enough = last + math.ceil((need - tokens) / rate) * period - now
        return {0, tokens, math.max(1, until_enough)}
        """);

    /// <summary>
    /// A sliding window in sorted set KEYS[1]: one member per granted permit, scored by the server time
    /// of its grant in microseconds. ARGV: the permit limit, the window in microseconds, the permits
    /// asked for, a prefix no other call uses (members are the prefix and a number). Grants older than
    /// the window leave the set first, so a grant is made only when the grants of the last window and
    /// it stay within the limit: no window of that length ever holds more. The key expires one window
    /// after the last grant, when it would be empty.
    /// </summary>
    public static readonly RedisScript SlidingWindow = new("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local wanted = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        local need = math.max(wanted, 1)
        if count + need <= limit then
          local score = string.format('%d', now)
          for i = 1, wanted do
            redis.call('ZADD', KEYS[1], score, ARGV[4] .. i)
          end
          if wanted > 0 then
            redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
          end
          return {1, limit - count - wanted, 0}
        end
        local leaving = count + need - limit - 1
        local oldest = redis.call('ZRANGE', KEYS[1], leaving, leaving, 'WITHSCORES')
        local until_enough = window
        if #oldest == 2 then until_enough = tonumber(oldest[2]) + window - now end
        return {0, math.max(0, limit - count), math.max(1, until_enough)}
        """);
}

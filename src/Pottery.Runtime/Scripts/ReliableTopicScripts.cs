namespace Pottery;

/// <summary>
/// Lua scripts of <see cref="RedisReliableTopic{T}"/>: a stream whose entries carry the encoded message
/// in the field <c>message</c>, read by consumer groups. A publish announces itself on
/// <c>KEYS[1] .. suffix</c> (see <see cref="WakeUpChannel"/>), since StackExchange.Redis cannot send a
/// blocking <c>XREADGROUP</c> on its shared connection.
/// </summary>
internal static class ReliableTopicScripts
{
    /// <summary>The field of an entry that holds the encoded message (the scripts name it too).</summary>
    public const string MessageField = "message";

    /// <summary>
    /// XADD ARGV[1] as field <c>message</c> to stream KEYS[1], trimmed to about ARGV[2] (&gt; 0) entries
    /// and to entries no older than ARGV[3] (&gt; 0) ms before the new one, and announce it on
    /// KEYS[1] .. ARGV[4]. The new entry's id.
    /// </summary>
    public static readonly RedisScript Publish = new("""
        local id
        if tonumber(ARGV[2]) > 0 then
          id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'message', ARGV[1])
        else
          id = redis.call('XADD', KEYS[1], '*', 'message', ARGV[1])
        end
        local age = tonumber(ARGV[3])
        if age > 0 then
          local oldest = tonumber(string.match(id, '^(%d+)')) - age
          if oldest > 0 then
            redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%.0f', oldest))
          end
        end
        redis.call('PUBLISH', KEYS[1] .. ARGV[4], '')
        return id
        """);

    /// <summary>
    /// One take of consumer ARGV[2] in group ARGV[1] of stream KEYS[1]: up to ARGV[3] entries, first
    /// those idle for ARGV[4] ms in the group's pending list (XAUTOCLAIM from cursor ARGV[7]) when
    /// ARGV[6] is 1, else new ones (XREADGROUP &gt;), and idle ones after all when there are no new ones.
    /// A claimed entry handed out more than ARGV[5] (&gt; 0) times goes to stream KEYS[2] (with its
    /// id and group) and is acknowledged instead. Returns { next claim cursor, { { id, fields,
    /// delivery count }, … }, { dead-lettered ids }, ms until a pending entry may be claimed or -1 }.
    /// An entry already claimable that this take did not claim (the scan started past it) is due after
    /// a twentieth of the idle time, not at once, so an entry no claim can take (Redis 6.2 keeps
    /// trimmed entries pending) never makes waiters spin.
    /// </summary>
    public static readonly RedisScript Take = new("""
        local group, consumer, count = ARGV[1], ARGV[2], ARGV[3]
        local idle, most = tonumber(ARGV[4]), tonumber(ARGV[5])
        local cursor = ARGV[7]
        local taken, dead = {}, {}
        local function claim()
          local claimed = redis.call('XAUTOCLAIM', KEYS[1], group, consumer, idle, cursor, 'COUNT', count)
          cursor = claimed[1]
          for _, entry in ipairs(claimed[2]) do
            if entry then
              local pending = redis.call('XPENDING', KEYS[1], group, entry[1], entry[1], 1)
              local deliveries = pending[1] and pending[1][4] or 1
              if most > 0 and deliveries > most then
                redis.call('XADD', KEYS[2], '*', 'topic-id', entry[1], 'group', group, unpack(entry[2]))
                redis.call('XACK', KEYS[1], group, entry[1])
                dead[#dead + 1] = entry[1]
              else
                taken[#taken + 1] = {entry[1], entry[2], deliveries}
              end
            end
          end
        end
        local claimFirst = ARGV[6] == '1'
        if claimFirst then claim() end
        if #taken == 0 then
          local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', KEYS[1], '>')
          if read then
            for _, entry in ipairs(read[1][2]) do
              taken[#taken + 1] = {entry[1], entry[2], 1}
            end
          end
        end
        if #taken == 0 and not claimFirst then claim() end
        local due = -1
        if #taken == 0 then
          for _, pending in ipairs(redis.call('XPENDING', KEYS[1], group, '-', '+', count)) do
            local left = idle - pending[3]
            if left < 1 then left = math.max(1, math.floor(idle / 20)) end
            if due < 0 or left < due then due = left end
          end
        end
        return {cursor, taken, dead, due}
        """);
}

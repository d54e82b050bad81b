namespace Pottery;

/// <summary>
/// Lua scripts for the queue family: bounds are checked and items stored in one atomic step, and
/// whatever a waiter waits for is announced on <c>KEYS[1] .. suffix</c> (see <see cref="WakeUpChannel"/>).
/// </summary>
internal static class QueueScripts
{
    /// <summary>
    /// A Lua function for the scripts of an at-least-once queue: <c>promote(list, delayed, sequence,
    /// channel, now)</c> moves the delayed envelopes due by <c>now</c> (server time in ms) from the sorted
    /// set to the tail of the list, earliest due first, announcing each on the channel; at most 100 per
    /// call, so a backlog never holds the server for long (the rest follow with the next command). The
    /// sequence goes with the last delayed envelope, so an emptied queue leaves no key.
    /// </summary>
    /// <remarks>An envelope moves only if this call's own <c>ZREM</c> removed it: on a server that runs
    /// scripts side by side (Garnet without <c>--lua-transaction-mode</c>) two takes falling due
    /// together must not both move it, which would hand one item out twice.</remarks>
    private const string PromoteDue = """
        local function promote(list, delayed, sequence, channel, now)
            local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 100)
            if #due == 0 then return end
            for i = 1, #due do
                if redis.call('ZREM', delayed, due[i]) == 1 then
                    redis.call('RPUSH', list, string.sub(due[i], 22))
                    redis.call('PUBLISH', channel, '')
                end
            end
            if redis.call('EXISTS', delayed) == 0 then redis.call('DEL', sequence) end
        end

        """;

    /// <summary>
    /// RPUSH ARGV[2] onto KEYS[1] unless it holds ARGV[1] (&gt; 0) items already, and announce the
    /// item on KEYS[1] .. ARGV[3]. The list's length once stored (RPUSH's reply, for the depth metric), 0 full.
    /// </summary>
    public static readonly RedisScript Push = new("""
        local limit = tonumber(ARGV[1])
        if limit > 0 and redis.call('LLEN', KEYS[1]) >= limit then return 0 end
        local length = redis.call('RPUSH', KEYS[1], ARGV[2])
        redis.call('PUBLISH', KEYS[1] .. ARGV[3], '')
        return length
        """);

    /// <summary>
    /// LPUSH ARGV[2] onto KEYS[1] unless it holds ARGV[1] (&gt; 0) items already, and announce the item
    /// on KEYS[1] .. ARGV[3]: an item taken from the front that reached nobody goes back there. The
    /// list's length once stored, 0 full.
    /// </summary>
    public static readonly RedisScript PushFront = new("""
        local limit = tonumber(ARGV[1])
        if limit > 0 and redis.call('LLEN', KEYS[1]) >= limit then return 0 end
        local length = redis.call('LPUSH', KEYS[1], ARGV[2])
        redis.call('PUBLISH', KEYS[1] .. ARGV[3], '')
        return length
        """);

    /// <summary>
    /// Adds ARGV[3] to sorted set KEYS[1] with priority ARGV[2] unless it holds ARGV[1] (&gt; 0) items,
    /// and announces it on KEYS[1] .. ARGV[4]. The member starts with a 20-digit sequence from KEYS[2]
    /// and the priority, so equal priorities leave in arrival order and equal items may repeat.
    /// The set's size once stored (for the depth metric), 0 full.
    /// </summary>
    public static readonly RedisScript PriorityPush = new("""
        local limit = tonumber(ARGV[1])
        if limit > 0 and redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
        local sequence = redis.call('INCR', KEYS[2])
        redis.call('ZADD', KEYS[1], ARGV[2], string.format('%020d', sequence) .. ':' .. ARGV[2] .. ':' .. ARGV[3])
        redis.call('PUBLISH', KEYS[1] .. ARGV[4], '')
        return redis.call('ZCARD', KEYS[1])
        """);

    /// <summary>
    /// Removes and returns the first member of sorted set KEYS[1] as <c>{1, member}</c> when it has the
    /// shape <see cref="PriorityPush"/> gives (<c>digits:priority:item</c>); a member of any other shape
    /// stays where it is and comes back as <c>{0, member}</c>. Nil when the set is empty.
    /// </summary>
    public static readonly RedisScript PriorityTake = new("""
        local first = redis.call('ZRANGE', KEYS[1], 0, 0)
        if #first == 0 then return false end
        if not string.find(first[1], '^%d+:[^:]*:') then return {0, first[1]} end
        redis.call('ZREM', KEYS[1], first[1])
        return {1, first[1]}
        """);

    /// <summary>
    /// Puts member ARGV[2], taken by <see cref="PriorityTake"/>, back into sorted set KEYS[1] with the
    /// priority it carries, unless the set holds ARGV[1] (&gt; 0) members; announces it on KEYS[1] .. ARGV[3].
    /// 1 stored, 0 full.
    /// </summary>
    public static readonly RedisScript PriorityPutBack = new("""
        local limit = tonumber(ARGV[1])
        if limit > 0 and redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
        redis.call('ZADD', KEYS[1], string.match(ARGV[2], '^%d+:([^:]*):'), ARGV[2])
        redis.call('PUBLISH', KEYS[1] .. ARGV[3], '')
        return 1
        """);

    /// <summary>
    /// One delivery of an at-least-once queue. KEYS: the list of waiting envelopes (<c>id:item</c>), the
    /// hash of items in flight by id, the sorted set of deliveries in flight (<c>id:count</c>, scored by
    /// the server time in ms when they may be handed out again), the dead-letter list, the sorted set
    /// of delayed envelopes and its sequence (see <see cref="EnvelopePush"/>). ARGV: the visibility
    /// timeout in ms, the most deliveries per item (0: no limit), the suffix announcing that nothing
    /// is left, the suffix announcing items.
    /// </summary>
    /// <remarks>
    /// Delayed envelopes that are due join the waiting list first (see <see cref="PromoteDue"/>). A
    /// delivery whose visibility timeout passed goes first, with its count raised; one that has had
    /// its last allowed delivery goes to the dead-letter list instead. Otherwise the first waiting
    /// envelope becomes delivery 1. Returns <c>{id, count, item}</c>; <c>{envelope}</c> for a head that is
    /// no envelope (left where it is); or, when there is nothing to deliver, the ms until the first
    /// delivery in flight may be handed out again or the first delayed envelope is due, whichever
    /// comes first (-1 when there is neither). A take that moved items to the dead-letter list says
    /// which, so their loss can be reported: <c>{id, count, item, dead ids}</c>, or <c>{ms, dead ids}</c>
    /// when nothing was delivered (not after a head that is no envelope).
    /// </remarks>
    public static readonly RedisScript Take = new(PromoteDue + """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        promote(KEYS[1], KEYS[5], KEYS[6], KEYS[1] .. ARGV[4], now)
        local visibility = tonumber(ARGV[1])
        local limit = tonumber(ARGV[2])
        local dead = {}
        while true do
            local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1)
            if #due == 0 then break end
            local colon = string.find(due[1], ':', 1, true)
            local id = string.sub(due[1], 1, colon - 1)
            local count = tonumber(string.sub(due[1], colon + 1))
            local item = redis.call('HGET', KEYS[2], id)
            redis.call('ZREM', KEYS[3], due[1])
            if item and limit > 0 and count >= limit then
                redis.call('HDEL', KEYS[2], id)
                redis.call('RPUSH', KEYS[4], item)
                dead[#dead + 1] = id
                if redis.call('EXISTS', KEYS[1], KEYS[3], KEYS[5]) == 0 then redis.call('PUBLISH', KEYS[1] .. ARGV[3], '') end
            elseif item then
                redis.call('ZADD', KEYS[3], now + visibility, id .. ':' .. (count + 1))
                if #dead > 0 then return {id, count + 1, item, dead} end
                return {id, count + 1, item}
            end
        end
        local envelope = redis.call('LPOP', KEYS[1])
        if not envelope then
            local wake = nil
            local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
            if #first > 0 then wake = tonumber(first[2]) end
            local delayed = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
            if #delayed > 0 and (not wake or tonumber(delayed[2]) < wake) then wake = tonumber(delayed[2]) end
            local due = -1
            if wake then due = math.max(0, wake - now) end
            if #dead > 0 then return {due, dead} end
            return due
        end
        local colon = string.find(envelope, ':', 1, true)
        if not colon or colon == 1 then
            redis.call('LPUSH', KEYS[1], envelope)
            return {envelope}
        end
        local id = string.sub(envelope, 1, colon - 1)
        local item = string.sub(envelope, colon + 1)
        redis.call('HSET', KEYS[2], id, item)
        redis.call('ZADD', KEYS[3], now + visibility, id .. ':1')
        if #dead > 0 then return {id, 1, item, dead} end
        return {id, 1, item}
        """);

    /// <summary>
    /// Stores envelope ARGV[2] (<c>id:item</c>) in an at-least-once queue unless it holds ARGV[1] (&gt; 0)
    /// items, delayed ones included. KEYS: the list of waiting envelopes, the sorted set of delayed
    /// envelopes, its sequence. ARGV[4] and ARGV[5] say when the item is due: <c>in</c> and a delay in ms
    /// from the server's now, or <c>at</c> and a Unix time in ms. An item due by the server's clock joins
    /// the list and is announced on KEYS[1] .. ARGV[3]; a later one joins the sorted set as
    /// <c>&lt;20-digit sequence&gt;:id:item</c>, scored by its due time, so equal due times leave in
    /// arrival order. A delayed item due before every other delayed one is announced with message
    /// ARGV[6] (<see cref="WakeUpChannel.EveryoneMessage"/>): every waiter tries again and shortens its
    /// pause to the new due time. The items held once stored (for the depth metric), 0 full.
    /// </summary>
    /// <remarks>Due envelopes join the list first (<see cref="PromoteDue"/>), so an item stored at once
    /// goes after every delayed item that was due before it.</remarks>
    public static readonly RedisScript EnvelopePush = new(PromoteDue + """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        promote(KEYS[1], KEYS[2], KEYS[3], KEYS[1] .. ARGV[3], now)
        local limit = tonumber(ARGV[1])
        if limit > 0 and redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= limit then return 0 end
        local due = tonumber(ARGV[5])
        if ARGV[4] == 'in' then due = now + due end
        if due <= now then
            local length = redis.call('RPUSH', KEYS[1], ARGV[2])
            redis.call('PUBLISH', KEYS[1] .. ARGV[3], '')
            return length + redis.call('ZCARD', KEYS[2])
        end
        local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
        local sequence = redis.call('INCR', KEYS[3])
        redis.call('ZADD', KEYS[2], due, string.format('%020d', sequence) .. ':' .. ARGV[2])
        if #first == 0 or due < tonumber(first[2]) then redis.call('PUBLISH', KEYS[1] .. ARGV[3], ARGV[6]) end
        return redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2])
        """);

    /// <summary>The items an at-least-once queue holds, waiting (list KEYS[1]) or delayed (sorted set KEYS[2]).</summary>
    public static readonly RedisScript EnvelopeCount = new("""
        return redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2])
        """);

    /// <summary>
    /// Acknowledges delivery ARGV[1] (<c>id:count</c>) of item ARGV[2]: it leaves the sorted set KEYS[3]
    /// and the hash KEYS[2]; when none of list KEYS[1], KEYS[3] and the delayed envelopes KEYS[4] holds
    /// anything then, announce on KEYS[1] .. ARGV[3]. 1 acknowledged, 0 not in flight (acknowledged
    /// already, or handed out again).
    /// </summary>
    public static readonly RedisScript Acknowledge = new("""
        if redis.call('ZREM', KEYS[3], ARGV[1]) == 0 then return 0 end
        redis.call('HDEL', KEYS[2], ARGV[2])
        if redis.call('EXISTS', KEYS[1], KEYS[3], KEYS[4]) == 0 then redis.call('PUBLISH', KEYS[1] .. ARGV[3], '') end
        return 1
        """);

    /// <summary>
    /// Restarts the visibility timeout (ARGV[2] ms from the server's now) of delivery ARGV[1] in sorted
    /// set KEYS[1]. 1 done, 0 not in flight.
    /// </summary>
    public static readonly RedisScript Extend = new("""
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
        local clock = redis.call('TIME')
        redis.call('ZADD', KEYS[1], tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) + tonumber(ARGV[2]), ARGV[1])
        return 1
        """);

    /// <summary>
    /// Hands delivery ARGV[1] (<c>id:count</c>) in sorted set KEYS[2] out again at once, as delivery
    /// ARGV[2] (the same one when abandoned, one fewer when it reached nobody), and announces it on
    /// KEYS[1] .. ARGV[3]. 1 done, 0 not in flight.
    /// </summary>
    public static readonly RedisScript Release = new("""
        if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
        redis.call('ZADD', KEYS[2], 0, ARGV[2])
        redis.call('PUBLISH', KEYS[1] .. ARGV[3], '')
        return 1
        """);
}

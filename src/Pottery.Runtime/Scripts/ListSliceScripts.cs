namespace Pottery;

/// <summary>
/// Lua scripts for Python slices of lists (<c>l[start:stop:step]</c>, its assignment and its
/// <c>del</c>). The slice is resolved against the length inside the script, exactly as CPython's
/// <c>PySlice_AdjustIndices</c> does, so reading the length and writing are one atomic step.
/// Elements are moved as they are, never matched by value, so no stored element can be mistaken
/// for a marker.
/// </summary>
internal static class ListSliceScripts
{
    /// <summary>
    /// The elements of KEYS[1] in the slice ARGV[1]:ARGV[2]:ARGV[3] (an empty bound is Python's
    /// None), after the position of the first (so a decoding error can name each element's position).
    /// </summary>
    public static readonly RedisScript Get = new(Slices + """
        local length = redis.call('LLEN', KEYS[1])
        local step = tonumber(ARGV[3])
        local start, _, count = slice(length, ARGV[1], ARGV[2], step)
        if count == 0 then return { start } end
        local low, high = span(start, step, count)
        local elements = redis.call('LRANGE', KEYS[1], low, high)
        local picked = { start }
        for i = 0, count - 1 do picked[i + 2] = elements[start + i * step - low + 1] end
        return picked
        """);

    /// <summary>
    /// Python's <c>l[ARGV[1]:ARGV[2]:ARGV[3]] = ARGV[5..]</c> on KEYS[1]. A step of 1 replaces the
    /// slice by any number of elements, unless the list would outgrow ARGV[4] (-1: no bound); any
    /// other step needs exactly one element per position. Returns {1} when written, {0, size of
    /// the slice} for a count that does not match, {-1, new length} for a list that would outgrow
    /// its bound; nothing is written then.
    /// </summary>
    public static readonly RedisScript Set = new(Slices + """
        local length = redis.call('LLEN', KEYS[1])
        local step = tonumber(ARGV[3])
        local start, stop, count = slice(length, ARGV[1], ARGV[2], step)
        local given = #ARGV - 4
        if step == 1 then
          if stop < start then stop = start end
          local limit = tonumber(ARGV[4])
          local grown = length - (stop - start) + given
          if limit >= 0 and grown > limit then return { -1, grown } end
          local items = {}
          for i = 5, #ARGV do items[#items + 1] = ARGV[i] end
          replace(length, start, stop, items)
          return { 1 }
        end
        if given ~= count then return { 0, count } end
        if count == 0 then return { 1 } end
        local low, high = span(start, step, count)
        local elements = redis.call('LRANGE', KEYS[1], low, high)
        for i = 0, count - 1 do elements[start + i * step - low + 1] = ARGV[5 + i] end
        replace(length, low, high + 1, elements)
        return { 1 }
        """);

    /// <summary>Python's <c>del l[ARGV[1]:ARGV[2]:ARGV[3]]</c> on KEYS[1]; returns how many elements were removed.</summary>
    public static readonly RedisScript Remove = new(Slices + """
        local length = redis.call('LLEN', KEYS[1])
        local step = tonumber(ARGV[3])
        local start, _, count = slice(length, ARGV[1], ARGV[2], step)
        if count == 0 then return 0 end
        local low, high = span(start, step, count)
        local kept = {}
        if math.abs(step) > 1 then
          local stride = math.abs(step)
          local elements = redis.call('LRANGE', KEYS[1], low, high)
          for i = 1, #elements do
            if (i - 1) % stride ~= 0 then kept[#kept + 1] = elements[i] end
          end
        end
        replace(length, low, high + 1, kept)
        return count
        """);

    /// <summary>Reverses KEYS[1] in place; returns its length.</summary>
    public static readonly RedisScript Reverse = new(Slices + """
        local length = redis.call('LLEN', KEYS[1])
        if length < 2 then return length end
        local elements = redis.call('LRANGE', KEYS[1], 0, -1)
        local reversed = {}
        for i = length, 1, -1 do reversed[#reversed + 1] = elements[i] end
        replace(length, 0, length, reversed)
        return length
        """);

    // slice(length, start, stop, step) resolves a Python slice (empty start/stop: None) like CPython's
    // PySlice_AdjustIndices and returns start, stop and the number of positions; span gives the
    // lowest and highest of those positions. replace(length, start, stop, items) puts items in place
    // of positions [start, stop), reading and rewriting only the shorter side of the list, and
    // pushes before it trims, so the key (and its expiry) survives unless the list ends up empty.
    private const string Slices = """
        local function adjust(index, length, step)
          if index < 0 then
            index = index + length
            if index < 0 then if step < 0 then return -1 else return 0 end end
          elseif index >= length then
            if step < 0 then return length - 1 else return length end
          end
          return index
        end
        local function slice(length, start, stop, step)
          start, stop = tonumber(start), tonumber(stop)
          if start == nil then
            if step < 0 then start = length - 1 else start = 0 end
          else
            start = adjust(start, length, step)
          end
          if stop == nil then
            if step < 0 then stop = -1 else stop = length end
          else
            stop = adjust(stop, length, step)
          end
          local count = 0
          if step < 0 then
            if stop < start then count = math.floor((start - stop - 1) / -step) + 1 end
          elseif start < stop then
            count = math.floor((stop - start - 1) / step) + 1
          end
          return start, stop, count
        end
        local function span(start, step, count)
          local last = start + (count - 1) * step
          return math.min(start, last), math.max(start, last)
        end
        local function push(command, items)
          for i = 1, #items, 4000 do
            redis.call(command, KEYS[1], unpack(items, i, math.min(i + 3999, #items)))
          end
        end
        local function replace(length, start, stop, items)
          -- The tail side is only taken with a head left (start > length - stop >= 0), which keeps the key.
          if start <= length - stop then
            local head = {}
            if start > 0 then head = redis.call('LRANGE', KEYS[1], 0, start - 1) end
            for i = 1, #items do head[#head + 1] = items[i] end
            if stop < length then redis.call('LTRIM', KEYS[1], stop, -1) end
            local reversed = {}
            for i = #head, 1, -1 do reversed[#reversed + 1] = head[i] end
            push('LPUSH', reversed)
            if stop == length then
              if #head == 0 then redis.call('DEL', KEYS[1]) else redis.call('LTRIM', KEYS[1], 0, #head - 1) end
            end
          else
            local tail = {}
            for i = 1, #items do tail[i] = items[i] end
            for _, element in ipairs(redis.call('LRANGE', KEYS[1], stop, -1)) do tail[#tail + 1] = element end
            redis.call('LTRIM', KEYS[1], 0, start - 1)
            push('RPUSH', tail)
          end
        end

        """;
}

namespace Pottery;

/// <summary>
/// <c>SORT key [DESC] [ALPHA] STORE key</c> as a Lua script, for servers without <c>SORT</c> (Garnet).
/// It orders as Redis does with <c>STORE</c>: ALPHA by bytes; numeric by value, equal values by
/// bytes; DESC reverses the comparison; an element that is no number fails the whole sort with
/// Redis' own error, writing nothing.
/// </summary>
internal static class ListSortScript
{
    /// <summary>Sorts list KEYS[1] in place; ARGV[1] = '1' for descending, ARGV[2] = '1' for numeric. Returns the length.</summary>
    public static readonly RedisScript Sort = new("""
        local items = redis.call('LRANGE', KEYS[1], 0, -1)
        if #items < 2 then return #items end
        local descending, numeric = ARGV[1] == '1', ARGV[2] == '1'
        local values = {}
        if numeric then
          for _, item in ipairs(items) do
            local value = tonumber(item)
            if value == nil then
              local word = string.lower(item)
              if word == 'inf' or word == '+inf' or word == 'infinity' or word == '+infinity' then value = math.huge
              elseif word == '-inf' or word == '-infinity' then value = -math.huge end
            end
            if value == nil or value ~= value then
              return redis.error_reply("ERR One or more scores can't be converted into double")
            end
            values[item] = value
          end
        end
        local function compare(a, b)
          if numeric and values[a] ~= values[b] then return values[a] < values[b] and -1 or 1 end
          if a == b then return 0 end
          return a < b and -1 or 1
        end
        table.sort(items, function(a, b)
          local order = compare(a, b)
          if descending then return order > 0 end
          return order < 0
        end)
        redis.call('DEL', KEYS[1])
        for i = 1, #items, 4000 do
          redis.call('RPUSH', KEYS[1], unpack(items, i, math.min(i + 3999, #items)))
        end
        return #items
        """);
}

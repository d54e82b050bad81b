namespace Pottery;

/// <summary>Lua scripts for counters (hashes of 64-bit integer counts), exact over the whole range.</summary>
internal static class CounterScripts
{
    /// <summary>
    /// Adds to each field of KEYS[1] its amount, for the field/amount pairs in ARGV (each field once;
    /// amounts in decimal, up to 20 digits). Every field is checked before anything is written:
    /// returns {0, i, 'integer', stored} when field ARGV[i] holds no integer, {0, i, 'overflow'}
    /// when its result would not fit in 64 bits, and {1} once every field is written.
    /// </summary>
    public static readonly RedisScript IncrementMany = new(ExactIntegers + """
        local results = {}
        for i = 1, #ARGV, 2 do
          local stored = redis.call('HGET', KEYS[1], ARGV[i])
          local sh, sl = 0, 0
          if stored then
            sh, sl = parse(stored)
            if not sh or not fits(sh, sl) then return { 0, i, 'integer', stored } end
          end
          local ah, al = parse(ARGV[i + 1])
          local rh, rl = norm(sh + ah, sl + al)
          if not fits(rh, rl) then return { 0, i, 'overflow' } end
          results[#results + 1] = ARGV[i]
          results[#results + 1] = format(rh, rl)
        end
        for i = 1, #results, 4000 do
          redis.call('HSET', KEYS[1], unpack(results, i, math.min(i + 3999, #results)))
        end
        return { 1 }
        """);

    /// <summary>
    /// Writes into KEYS[3] the multiset combination (ARGV[1]: + - | &amp;, or 'neg' for the unary
    /// <c>-c</c>, which reads only KEYS[1]) of counter KEYS[1] with counter KEYS[2], or
    /// (ARGV[2] = '1') with the field/count pairs ARGV[3..] (each field once,
    /// counts in decimal, up to 20 digits); keeps only positive counts, as Python's Counter operators
    /// do. Nothing is written when it fails: {0, k, field, stored} when a count of KEYS[k] is no
    /// integer, {0, 0, field} when a kept count would not fit in 64 bits. Returns {1} when written.
    /// </summary>
    public static readonly RedisScript Combine = new(ExactIntegers + """
        local function read(key)
          local counts, flat = {}, redis.call('HGETALL', key)
          for i = 1, #flat, 2 do
            local hi, lo = parse(flat[i + 1])
            if not hi or not fits(hi, lo) then return nil, flat[i], flat[i + 1] end
            counts[flat[i]] = { hi, lo }
          end
          return counts
        end
        local left, bad, stored = read(KEYS[1])
        if not left then return { 0, 1, bad, stored } end
        local right = {}
        if ARGV[2] == '1' then
          for i = 3, #ARGV, 2 do right[ARGV[i]] = { parse(ARGV[i + 1]) } end
        else
          right, bad, stored = read(KEYS[2])
          if not right then return { 0, 2, bad, stored } end
        end
        local fields, result, zero = {}, {}, { 0, 0 }
        for field in pairs(left) do fields[field] = true end
        for field in pairs(right) do fields[field] = true end
        local op = ARGV[1]
        for field in pairs(fields) do
          local a, b = left[field] or zero, right[field] or zero
          local hi, lo
          if op == '+' then hi, lo = norm(a[1] + b[1], a[2] + b[2])
          elseif op == '-' then hi, lo = norm(a[1] - b[1], a[2] - b[2])
          elseif op == 'neg' then hi, lo = norm(-a[1], -a[2])
          elseif (op == '|') == less(a[1], a[2], b[1], b[2]) then hi, lo = b[1], b[2] -- | keeps the larger, & the smaller
          else hi, lo = a[1], a[2] end
          if hi > 0 or (hi == 0 and lo > 0) then
            if not fits(hi, lo) then return { 0, 0, field } end
            result[#result + 1] = field
            result[#result + 1] = format(hi, lo)
          end
        end
        redis.call('DEL', KEYS[3])
        for i = 1, #result, 4000 do
          redis.call('HSET', KEYS[3], unpack(result, i, math.min(i + 3999, #result)))
        end
        return { 1 }
        """);

    // Lua numbers are doubles, exact only up to 2^53, so a 64-bit integer is carried as two exact
    // doubles: value = hi * 1e9 + lo with 0 <= lo < 1e9. parse reads what Redis' own integer parser
    // accepts (no '+', no leading zeros, no '-0') and returns nil for anything else; fits says
    // whether a value is a 64-bit integer; format writes it back in decimal.
    private const string ExactIntegers = """
        local B = 1000000000
        local function norm(hi, lo)
          local carry = math.floor(lo / B)
          return hi + carry, lo - carry * B
        end
        local function parse(s)
          if s == '0' then return 0, 0 end
          local minus, digits = string.match(s, '^(%-?)([1-9]%d*)$')
          if not digits or #digits > 20 then return nil end
          local hi, lo = tonumber(string.sub(digits, 1, -10)) or 0, tonumber(string.sub(digits, -9))
          if minus == '-' then return norm(-hi, -lo) end
          return hi, lo
        end
        local function less(ah, al, bh, bl) return ah < bh or (ah == bh and al < bl) end
        local function fits(hi, lo)
          return not less(hi, lo, -9223372037, 145224192) and not less(9223372036, 854775807, hi, lo)
        end
        local function digits(hi, lo)
          if hi == 0 then return string.format('%d', lo) end
          return string.format('%d%09d', hi, lo)
        end
        local function format(hi, lo)
          if hi >= 0 then return digits(hi, lo) end
          if lo == 0 then return '-' .. digits(-hi, 0) end
          return '-' .. digits(-hi - 1, B - lo)
        end

        """;
}

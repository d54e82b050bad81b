using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A Bloom filter in Redis (pottery's <c>BloomFilter</c>): remembers whether elements were added,
/// with false positives at about the configured rate and never a false negative.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para>By default the bits are a plain Redis string laid out as pottery lays them out: for seeds
/// 0…k−1 the bit at MurmurHash3-x86-32(encoded element, seed) mod m. With
/// <see cref="PotteryJsonCodec{T}"/> the encoded bytes are pottery's too, so Python and .NET share a
/// filter. Each <see cref="Add"/> is one <c>BITFIELD</c> setting all k bits, each
/// <see cref="Contains"/> one <c>BITFIELD_RO</c>; <see cref="ContainsMany"/> and
/// <see cref="AddRange"/> take one command for any number of elements.</para>
/// <para>With <see cref="BloomBackend.RedisBloomModule"/> the filter uses the module's <c>BF.*</c>
/// commands instead (not readable by pottery); a server without the module fails with
/// <see cref="RedisModuleMissingException"/> on first use.</para>
/// </remarks>
public sealed class BloomFilter<T> : RedisObject
{
    // BITFIELD's words as ready bytes, boxed once: StackExchange.Redis writes a byte[] RedisValue
    // as it is, where strings and numbers are encoded again on every command, which measurably
    // slowed a command that has 4 words per bit (see benchmarks/README.md).
    private static readonly object Set = Word("SET");
    private static readonly object Get = Word("GET");
    private static readonly object OneBit = Word("u1");
    private static readonly object One = Word("1");

    private readonly IRedisCodec<T> _codec;

    /// <summary>Opens the filter at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="capacity">How many elements are expected (pottery's <c>num_elements</c>).</param>
    /// <param name="falsePositiveRate">The acceptable false-positive rate, between 0 and 1 (pottery's <c>false_positives</c>).</param>
    /// <param name="key">The filter's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are encoded before hashing; <see cref="RedisCodecs.For{T}"/> by default, <see cref="PotteryJsonCodec{T}"/> to share the filter with pottery.</param>
    /// <param name="backend">Where the bits live; a plain string by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not positive, the rate is not strictly between 0 and 1, or the filter would exceed a Redis string.</exception>
    public BloomFilter(IDatabase database, long capacity, double falsePositiveRate, RedisKey? key = null, IRedisCodec<T>? codec = null, BloomBackend backend = BloomBackend.BitString)
        : base(database, key)
    {
        if (BloomSizing.Problem(capacity, falsePositiveRate) is { } problem)
        {
            throw new ArgumentOutOfRangeException(capacity <= 0 ? nameof(capacity) : nameof(falsePositiveRate), problem);
        }

        _codec = codec ?? RedisCodecs.For<T>();
        Capacity = capacity;
        FalsePositiveRate = falsePositiveRate;
        Bits = BloomSizing.Bits(capacity, falsePositiveRate);
        Hashes = BloomSizing.Hashes(capacity, Bits);
        Backend = backend;
    }

    /// <summary>
    /// Opens the filter and adds <paramref name="items"/> to it in one command (pottery's
    /// <c>BloomFilter(iterable, …)</c>). As in pottery, the items are added to whatever the key
    /// already holds: adding to a Bloom filter is idempotent, so an existing filter is not refused.
    /// </summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial elements.</param>
    /// <param name="capacity">How many elements are expected (pottery's <c>num_elements</c>).</param>
    /// <param name="falsePositiveRate">The acceptable false-positive rate, between 0 and 1 (pottery's <c>false_positives</c>).</param>
    /// <param name="key">The filter's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are encoded before hashing; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="backend">Where the bits live; a plain string by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not positive, the rate is not strictly between 0 and 1, or the filter would exceed a Redis string.</exception>
    public BloomFilter(IDatabase database, IEnumerable<T> items, long capacity, double falsePositiveRate, RedisKey? key = null, IRedisCodec<T>? codec = null, BloomBackend backend = BloomBackend.BitString)
        : this(database, capacity, falsePositiveRate, key, codec, backend)
    {
        AddRange(items);
    }

    /// <summary>Opens the filter and adds <paramref name="items"/> to it in one command (pottery's <c>BloomFilter(iterable, …)</c>; see the constructor).</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="items">The initial elements.</param>
    /// <param name="capacity">How many elements are expected (pottery's <c>num_elements</c>).</param>
    /// <param name="falsePositiveRate">The acceptable false-positive rate, between 0 and 1 (pottery's <c>false_positives</c>).</param>
    /// <param name="key">The filter's key, or <see langword="null"/> for a random one.</param>
    /// <param name="codec">How elements are encoded before hashing; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <param name="backend">Where the bits live; a plain string by default.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not positive, the rate is not strictly between 0 and 1, or the filter would exceed a Redis string.</exception>
    public static async ValueTask<BloomFilter<T>> CreateAsync(IDatabase database, IEnumerable<T> items, long capacity, double falsePositiveRate, RedisKey? key = null, IRedisCodec<T>? codec = null, BloomBackend backend = BloomBackend.BitString, CancellationToken cancellationToken = default)
    {
        var filter = new BloomFilter<T>(database, capacity, falsePositiveRate, key, codec, backend);
        await filter.AddRangeAsync(items, cancellationToken).ConfigureAwait(false);
        return filter;
    }

    /// <summary>How many elements the filter was sized for.</summary>
    public long Capacity { get; }

    /// <summary>The false-positive rate the filter was sized for.</summary>
    public double FalsePositiveRate { get; }

    /// <summary>The number of bits, m (pottery's <c>size()</c>).</summary>
    public long Bits { get; }

    /// <summary>The number of hash functions, k (pottery's <c>num_hashes()</c>).</summary>
    public int Hashes { get; }

    /// <summary>Where the bits live.</summary>
    public BloomBackend Backend { get; }

    /// <inheritdoc />
    private protected override RedisType RedisType => Backend == BloomBackend.BitString ? RedisType.String : RedisType.Unknown;

    /// <summary>The approximate number of distinct elements added (pottery's <c>len()</c>).</summary>
    public long Count => Sync.Wait(CountAsync());

    /// <summary>Whether the server has the RedisBloom module loaded (its <c>BF.ADD</c> command exists).</summary>
    /// <param name="database">The Redis database.</param>
    /// <returns><see langword="true"/> when <see cref="BloomBackend.RedisBloomModule"/> can be used.</returns>
    public static bool HasRedisBloomModule(IDatabase database) => Sync.Wait(HasRedisBloomModuleAsync(database));

    /// <summary>Whether the server has the RedisBloom module loaded (its <c>BF.ADD</c> command exists).</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns><see langword="true"/> when <see cref="BloomBackend.RedisBloomModule"/> can be used.</returns>
    public static ValueTask<bool> HasRedisBloomModuleAsync(IDatabase database, CancellationToken cancellationToken = default) =>
        RedisCall.Async(
            database,
            default,
            RedisType.None,
            0,
            static (database, _, _) => database.ExecuteAsync("COMMAND", "INFO", "BF.ADD"),
            static (info, _, _) => info.Length > 0 && !info[0].IsNull,
            cancellationToken);

    /// <summary>The bit offsets an element sets, in seed order (pottery's <c>_bit_offsets</c>).</summary>
    /// <param name="item">The element.</param>
    /// <returns>k offsets, each in [0, m).</returns>
    public long[] BitOffsets(T item)
    {
        var offsets = new long[Hashes];
        FillOffsets(_codec.Encode(item), offsets);
        return offsets;
    }

    /// <summary>Adds an element: one command setting its k bits (pottery's <c>add</c>).</summary>
    /// <param name="item">The element.</param>
    public void Add(T item) => Sync.Wait(AddAsync(item));

    /// <summary>Adds an element: one command setting its k bits (pottery's <c>add</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the bits are set.</returns>
    public ValueTask AddAsync(T item, CancellationToken cancellationToken = default) => AddRangeAsync([item], cancellationToken);

    /// <summary>Adds many elements in one command (pottery's <c>update</c>).</summary>
    /// <param name="items">The elements.</param>
    public void AddRange(IEnumerable<T> items) => Sync.Wait(AddRangeAsync(items));

    /// <summary>Adds many elements in one command (pottery's <c>update</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the bits are set.</returns>
    public ValueTask AddRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) =>
        Write(items) is not { } write ? ValueTask.CompletedTask
        : Backend == BloomBackend.BitString ? Send(write, cancellationToken)
        : ModuleAsync(Send(write, cancellationToken));

    /// <summary>Whether the element may have been added: false means certainly not (also for an element the codec cannot encode), true means probably (pottery's <c>in</c>).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether all its bits are set.</returns>
    public bool Contains(T item) => Sync.Wait(ContainsAsync(item));

    /// <summary>Whether the element may have been added: false means certainly not (also for an element the codec cannot encode), true means probably (pottery's <c>in</c>).</summary>
    /// <param name="item">The element.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether all its bits are set.</returns>
    public ValueTask<bool> ContainsAsync(T item, CancellationToken cancellationToken = default) =>
        _codec.TryEncode(item, out var element) ? Ask(Read([element]), static answers => answers[0], cancellationToken) : NeverStoredAsync(false, cancellationToken);

    /// <summary>Tests many elements in one command; the answers are in the elements' order, false for an element the codec cannot encode (pottery's <c>contains_many</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <returns>One answer per element.</returns>
    public bool[] ContainsMany(IEnumerable<T> items) => Sync.Wait(ContainsManyAsync(items));

    /// <summary>Tests many elements in one command; the answers are in the elements' order, false for an element the codec cannot encode (pottery's <c>contains_many</c>).</summary>
    /// <param name="items">The elements.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>One answer per element.</returns>
    public ValueTask<bool[]> ContainsManyAsync(IEnumerable<T> items, CancellationToken cancellationToken = default)
    {
        var lookups = _codec.EncodeLookups(items);
        return lookups.Encoded.Length == 0 ? NeverStoredAsync(lookups, cancellationToken) : Ask(Read(lookups.Encoded), lookups.Answers, cancellationToken);
    }

    /// <summary>The approximate number of distinct elements added (pottery's <c>len()</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The estimate.</returns>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => Backend == BloomBackend.BitString
        ? CallAsync(this, static (database, key, _) => database.StringBitCountAsync(key), static (bits, filter, _) => BloomSizing.EstimateCount(filter.Bits, filter.Hashes, bits), cancellationToken)
        : ModuleAsync(CallAsync(0, static (database, key, _) => database.ExecuteAsync("BF.CARD", key), static (count, _, _) => (long)count, cancellationToken));

    /// <summary>Forgets every element (deletes the key).</summary>
    public void Clear() => Sync.Wait(ClearAsync());

    /// <summary>Forgets every element (deletes the key).</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the key is deleted.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default) =>
        CallAsync(0, static (database, key, _) => database.KeyDeleteAsync(key), cancellationToken);

    // One read command and its answers; the module's replies are checked for a missing module.
    private ValueTask<TAnswer> Ask<TAnswer>(BloomRead read, Func<bool[], TAnswer> answer, CancellationToken cancellationToken) =>
        Backend == BloomBackend.BitString ? Send(read, answer, cancellationToken) : ModuleAsync(Send(read, answer, cancellationToken));

    private ValueTask<TAnswer> Send<TAnswer>(BloomRead read, Func<bool[], TAnswer> answer, CancellationToken cancellationToken) =>
        CallAsync(
            (Read: read, Answer: answer),
            static (database, _, s) => database.ExecuteAsync(s.Read.Command, s.Read.Arguments),
            static (reply, s, _) => s.Answer(s.Read.Answers(reply)),
            cancellationToken);

    private ValueTask Send((string Command, object[] Arguments) write, CancellationToken cancellationToken) =>
        CallAsync(write, static (database, _, write) => database.ExecuteAsync(write.Command, write.Arguments), cancellationToken);

    // A server without the RedisBloom module answers "unknown command", which says less than it should.
    private async ValueTask<TResult> ModuleAsync<TResult>(ValueTask<TResult> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (RedisServerException error) when (IsUnknownCommand(error))
        {
            throw ModuleMissing(error);
        }
    }

    private async ValueTask ModuleAsync(ValueTask call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (RedisServerException error) when (IsUnknownCommand(error))
        {
            throw ModuleMissing(error);
        }
    }

    private static bool IsUnknownCommand(RedisServerException error) =>
        error.Message.StartsWith("ERR unknown command", StringComparison.OrdinalIgnoreCase);

    private RedisModuleMissingException ModuleMissing(RedisServerException error) => new(
        $"The Redis server has no RedisBloom module ({error.Message}), so the Bloom filter '{Key}' cannot use BloomBackend.RedisBloomModule. " +
        "Use BloomBackend.BitString (the default, which needs no module) or load the module (redis-stack-server, or 'loadmodule redisbloom.so').",
        Key.ToString(),
        error);

    private (string Command, object[] Arguments)? Write(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Backend == BloomBackend.RedisBloomModule)
        {
            var arguments = new List<object> { Key, "CAPACITY", Capacity, "ERROR", FalsePositiveRate, "ITEMS" };
            var before = arguments.Count;
            arguments.AddRange(items.Select(item => (object)_codec.Encode(item)));
            BloomTelemetry.Added(this, arguments.Count - before);
            return arguments.Count == before ? null : ("BF.INSERT", arguments.ToArray());
        }

        var elements = items.Select(item => _codec.Encode(item)).ToArray();
        BloomTelemetry.Added(this, elements.Length);
        return elements.Length == 0 ? null : ("BITFIELD", BitArguments(elements, [Set, OneBit], One));
    }

    private BloomRead Read(RedisValue[] elements)
    {
        if (Backend == BloomBackend.BitString)
        {
            return new BloomRead("BITFIELD_RO", BitArguments(elements, [Get, OneBit], null), elements.Length, Hashes);
        }

        var arguments = new object[1 + elements.Length];
        arguments[0] = Key;
        for (var i = 0; i < elements.Length; i++)
        {
            arguments[i + 1] = elements[i];
        }

        return new BloomRead("BF.MEXISTS", arguments, elements.Length, 1);
    }

    // BITFIELD arguments: the key, then for every bit of every element the operation's words, the
    // offset and, for SET, the value; sized once, as a filter's command can be long.
    private object[] BitArguments(RedisValue[] elements, object[] operation, object? value)
    {
        var perBit = operation.Length + 1 + (value is null ? 0 : 1);
        var arguments = new object[1 + elements.Length * Hashes * perBit];
        arguments[0] = Key;
        Span<long> offsets = stackalloc long[Hashes];
        var next = 1;
        foreach (var element in elements)
        {
            FillOffsets(element, offsets);
            foreach (var offset in offsets)
            {
                operation.CopyTo(arguments, next);
                next += operation.Length;
                arguments[next++] = Number(offset);
                if (value is not null)
                {
                    arguments[next++] = value;
                }
            }
        }

        return arguments;
    }

    private static RedisValue Word(string word) => System.Text.Encoding.ASCII.GetBytes(word);

    private static RedisValue Number(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        System.Buffers.Text.Utf8Formatter.TryFormat(value, digits, out var length);
        return digits[..length].ToArray();
    }

    private void FillOffsets(RedisValue element, Span<long> offsets)
    {
        var bytes = (byte[]?)element ?? [];
        for (var seed = 0; seed < offsets.Length; seed++)
        {
            // Python's % is a floored modulo: the offset is never negative.
            var remainder = MurmurHash3.Hash32(bytes, (uint)seed) % Bits;
            offsets[seed] = remainder < 0 ? remainder + Bits : remainder;
        }
    }

    // One read command's arguments and how to fold its integer replies into an answer per element.
    private readonly record struct BloomRead(string Command, object[] Arguments, int Count, int RepliesPerItem)
    {
        public bool[] Answers(RedisResult reply)
        {
            var replies = (RedisResult[])reply!;
            var answers = new bool[Count];
            for (var item = 0; item < Count; item++)
            {
                answers[item] = true;
                for (var bit = item * RepliesPerItem; bit < (item + 1) * RepliesPerItem; bit++)
                {
                    answers[item] &= (long)replies[bit] == 1;
                }
            }

            return answers;
        }
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Probabilistic;

public abstract class BloomFilterTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    private BloomFilter<string> Dilberts(IRedisCodec<string>? codec = null) =>
        new(_db, capacity: 100, falsePositiveRate: 0.01, TestKeys.Unique("dilberts"), codec);

    [Fact]
    public void Sets_the_bits_pottery_documents_for_rajiv()
    {
        using var dilberts = Dilberts(new PotteryJsonCodec<string>());
        Assert.Equal((959L, 7), (dilberts.Bits, dilberts.Hashes));
        Assert.Equal([183L, 319, 787, 585, 8, 471, 711], dilberts.BitOffsets("rajiv"));

        dilberts.Add("rajiv");

        var bits = new[] { 183L, 319, 787, 585, 8, 471, 711 }.Select(offset => _db.StringGetBit(dilberts.Key, offset));
        Assert.All(bits, Assert.True);
        Assert.Equal(7, _db.StringBitCount(dilberts.Key));
    }

    [Fact]
    public async Task Reads_a_filter_written_with_pottery_s_layout()
    {
        // What pottery writes for 'rajiv': SETBIT on its seven offsets, nothing else.
        var key = TestKeys.Unique("pottery-written");
        foreach (var offset in new[] { 183L, 319, 787, 585, 8, 471, 711 })
        {
            await _db.StringSetBitAsync(key, offset, true);
        }

        using var filter = new BloomFilter<string>(_db, 100, 0.01, key, new PotteryJsonCodec<string>());
        Assert.True(await filter.ContainsAsync("rajiv"));
        Assert.False(await filter.ContainsAsync("raj"));
        Assert.Equal(1, await filter.CountAsync());
    }

    [Fact]
    public async Task Behaves_like_the_pottery_readme()
    {
        using var dilberts = Dilberts(new PotteryJsonCodec<string>());
        dilberts.Add("rajiv");
        Assert.True(dilberts.Contains("rajiv"));
        Assert.False(dilberts.Contains("raj"));
        Assert.False(dilberts.Contains("dan"));
        Assert.Equal(1, dilberts.Count);

        await dilberts.AddRangeAsync(["raj", "dan"]);
        Assert.Equal(new[] { true, true, true, false }, await dilberts.ContainsManyAsync(["rajiv", "raj", "dan", "luis"]));
        Assert.Equal(new[] { false, true }, dilberts.ContainsMany(["luis", "dan"]));
        Assert.Equal(3, await dilberts.CountAsync());

        await dilberts.ClearAsync();
        Assert.Equal(0, dilberts.Count);
        Assert.False(await _db.KeyExistsAsync(dilberts.Key));
    }

    [Fact]
    public async Task Each_operation_is_one_command_whatever_the_number_of_elements()
    {
        using var filter = new BloomFilter<int>(_db, 1000, 0.01, TestKeys.Unique("bloom"));
        var thousand = Enumerable.Range(0, 1000).ToArray();

        using (var log = CommandLog.Start(redis.Connection))
        {
            await filter.AddAsync(1);
            filter.Add(2);
            await filter.AddRangeAsync(thousand);
            Assert.True(await filter.ContainsAsync(1));
            var answers = await filter.ContainsManyAsync(thousand.Select(i => i + 500));
            Assert.Equal(["BITFIELD", "BITFIELD", "BITFIELD", "BITFIELD_RO", "BITFIELD_RO"], log.Commands);
            Assert.All(answers.Take(500), Assert.True);
        }

        using (var log = CommandLog.Start(redis.Connection))
        {
            await filter.AddRangeAsync([]);
            Assert.Empty(await filter.ContainsManyAsync([]));
            Assert.Empty(log.Commands);
        }
    }

    [Fact]
    public async Task Count_estimates_the_distinct_elements_added()
    {
        using var filter = new BloomFilter<string>(_db, 1000, 0.01, TestKeys.Unique("bloom"));
        await filter.AddRangeAsync(Enumerable.Range(0, 500).Select(i => $"element-{i}"));
        await filter.AddRangeAsync(Enumerable.Range(0, 500).Select(i => $"element-{i}"));

        var count = await filter.CountAsync();
        Assert.InRange(count, 475, 525);
    }

    [Fact]
    public async Task False_positive_rate_stays_within_one_and_a_half_times_the_configured_rate()
    {
        const int capacity = 10_000;
        const double rate = 0.01;
        using var filter = new BloomFilter<string>(_db, capacity, rate, TestKeys.Unique("bloom"));
        await filter.AddRangeAsync(Enumerable.Range(0, capacity).Select(i => $"member-{i}"));
        Assert.All(await filter.ContainsManyAsync(Enumerable.Range(0, capacity).Select(i => $"member-{i}")), Assert.True);

        var probes = await filter.ContainsManyAsync(Enumerable.Range(0, 20_000).Select(i => $"absent-{i}"));
        var observed = probes.Count(found => found) / (double)probes.Length;

        Assert.True(observed <= rate * 1.5, $"observed false-positive rate {observed:P3}, configured {rate:P1}");
    }

    [Theory]
    [InlineData(0, 0.01, "capacity")]
    [InlineData(-1, 0.01, "capacity")]
    [InlineData(100, 0.0, "falsePositiveRate")]
    [InlineData(100, 1.0, "falsePositiveRate")]
    [InlineData(100, 1.5, "falsePositiveRate")]
    public void Refuses_parameters_that_cannot_size_a_filter(long capacity, double rate, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BloomFilter<string>(_db, capacity, rate, TestKeys.Unique("bloom")));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public async Task A_key_of_another_type_is_a_wrong_type_error_and_nothing_changes()
    {
        var key = TestKeys.Unique("hash");
        await _db.HashSetAsync(key, "field", "value");
        using var filter = new BloomFilter<string>(_db, 100, 0.01, key);

        var error = await Assert.ThrowsAsync<WrongTypeException>(() => filter.AddAsync("x").AsTask());
        Assert.Contains("hash", error.Message, StringComparison.Ordinal);
        Assert.Throws<WrongTypeException>(() => filter.Contains("x"));
        await Assert.ThrowsAsync<WrongTypeException>(() => filter.ContainsAsync("x").AsTask());
        Assert.Throws<WrongTypeException>(() => filter.Count);
        Assert.Equal(RedisType.Hash, await _db.KeyTypeAsync(key));
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        using var filter = Dilberts();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => filter.AddAsync("x", cancelled.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => filter.ContainsAsync("x", cancelled.Token).AsTask());
        Assert.False(await _db.KeyExistsAsync(filter.Key));
    }

    [Fact]
    public async Task The_module_backend_reports_a_server_without_redisbloom_clearly()
    {
        // Debian's redis-server ships no RedisBloom module; this is the answer users of it get.
        Assert.False(await BloomFilter<string>.HasRedisBloomModuleAsync(_db));
        using var filter = new BloomFilter<string>(_db, 100, 0.01, TestKeys.Unique("bf"), backend: BloomBackend.RedisBloomModule);

        var error = await Assert.ThrowsAsync<RedisModuleMissingException>(() => filter.AddAsync("x").AsTask());
        Assert.Contains("RedisBloom", error.Message, StringComparison.Ordinal);
        Assert.Contains("BloomBackend.BitString", error.Message, StringComparison.Ordinal);
        Assert.Throws<RedisModuleMissingException>(() => filter.ContainsMany(["x", "y"]));
    }

    [Fact]
    public async Task A_random_key_is_deleted_on_dispose()
    {
        RedisKey key;
        await using (var filter = new BloomFilter<string>(_db, 100, 0.01))
        {
            key = filter.Key;
            await filter.AddAsync("x");
            Assert.True(await _db.KeyExistsAsync(key));
        }

        Assert.False(await _db.KeyExistsAsync(key));
    }
}

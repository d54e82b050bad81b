using System.Numerics;
using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Codecs;

public sealed class PotteryJsonCodecTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task A_dict_written_like_pottery_is_byte_identical_to_pottery_HSET()
    {
        // Python: RedisDict({'jack': 4098, 'unicode': 'ünï', 'list': [1, 2, 3]}, redis=redis, key=...)
        var ours = TestKeys.Unique("ours");
        var python = TestKeys.Unique("python");
        var keys = PotteryJsonCodec<string>.Instance;
        var values = PotteryJsonCodec<object>.Instance;
        await redis.Database.HashSetAsync(ours,
        [
            new(keys.Encode("jack"), values.Encode(4098)),
            new(keys.Encode("unicode"), values.Encode("ünï")),
            new(keys.Encode("list"), values.Encode(new List<object?> { 1, 2, 3 })),
        ]);
        await redis.Database.ExecuteAsync("HSET", python, "\"jack\"", "4098", "\"unicode\"", "\"\\u00fcn\\u00ef\"", "\"list\"", "[1, 2, 3]");

        var ourFields = (await redis.Database.HashGetAllAsync(ours)).OrderBy(e => e.Name.ToString(), StringComparer.Ordinal).Select(e => (e.Name.ToString(), e.Value.ToString()));
        var pythonFields = (await redis.Database.HashGetAllAsync(python)).OrderBy(e => e.Name.ToString(), StringComparer.Ordinal).Select(e => (e.Name.ToString(), e.Value.ToString()));
        Assert.Equal(pythonFields, ourFields);
        Assert.Equal(4098L, values.DecodeAt(await redis.Database.HashGetAsync(python, "\"jack\""), python, "\"jack\""));
        Assert.Equal("ünï", PotteryJsonCodec<string>.Instance.Decode(await redis.Database.HashGetAsync(python, "\"unicode\"")));
    }

    [Fact]
    public void Typed_values_round_trip_at_their_edges()
    {
        AssertRoundTrip(string.Empty, "\"\"");
        AssertRoundTrip("ünï 漢字 🎉");
        AssertRoundTrip(new string('x', 1_000_000));
        AssertRoundTrip(long.MinValue, "-9223372036854775808");
        AssertRoundTrip(long.MaxValue);
        AssertRoundTrip(ulong.MaxValue, "18446744073709551615");
        AssertRoundTrip(int.MinValue);
        AssertRoundTrip(BigInteger.Pow(-7, 99));
        AssertRoundTrip(double.MaxValue);
        AssertRoundTrip(double.Epsilon, "5e-324");
        AssertRoundTrip(double.PositiveInfinity, "Infinity");
        AssertRoundTrip(0.1f);
        AssertRoundTrip(1.25m, "1.25");
        AssertRoundTrip(true, "true");
        AssertRoundTrip<int?>(null, "null");
        AssertRoundTrip<double?>(2.5, "2.5");
        Assert.True(double.IsNaN(PotteryJsonCodec<double>.Instance.Decode("NaN")));
    }

    [Fact]
    public void Decimals_keep_every_digit_not_only_a_doubles()
    {
        AssertRoundTrip(1.2345678901234567890123456789m, "1.2345678901234567890123456789");
        AssertRoundTrip(decimal.MaxValue, "7.9228162514264337593543950335e+28");
        AssertRoundTrip(decimal.MinValue);
        AssertRoundTrip(-0.0000000000000000000000000001m);
        AssertRoundTrip<decimal?>(null, "null");
        Assert.Equal(150m, PotteryJsonCodec<decimal>.Instance.Decode(" 1.5e2 "));
    }

    // python3 -c "import json; from decimal import Decimal; print(json.dumps(float(Decimal('1.50'))))" and so on.
    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1.50", "1.5")]
    [InlineData("100", "100.0")]
    [InlineData("0", "0.0")]
    [InlineData("-0.0", "-0.0")]
    [InlineData("-1.25", "-1.25")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001000", "1e-05")]
    [InlineData("1234567890123456", "1234567890123456.0")]
    [InlineData("10000000000000000", "1e+16")]
    [InlineData("12345678901234500000", "1.23456789012345e+19")]
    public void Decimals_are_written_as_python_writes_the_equal_float(string text, string python)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(python, PotteryJson.Serialize(value));
        Assert.Equal($"[{python}]", PotteryJson.Serialize(new object[] { value }));
        Assert.Equal($"{{\"{python}\": 1}}", PotteryJson.Serialize(new Dictionary<object, object> { [value] = 1 }));
        Assert.Equal(value, PotteryJsonCodec<decimal>.Instance.Decode(PotteryJsonCodec<decimal>.Instance.Encode(value)));
        Assert.Equal(decimal.IsNegative(value), decimal.IsNegative(PotteryJsonCodec<decimal>.Instance.Decode(python)));
        Assert.Equal((double)value, PotteryJsonCodec<object>.Instance.Decode(PotteryJsonCodec<decimal>.Instance.Encode(value)));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("-1e29")]
    [InlineData("79228162514264337593543950336")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("true")]
    [InlineData("\"1\"")]
    public void Decimals_out_of_range_or_of_another_type_are_format_errors(string stored) =>
        Assert.Throws<FormatException>(() => PotteryJsonCodec<decimal>.Instance.Decode(stored));

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        var decoded = PotteryJsonCodec<double>.Instance.Decode(PotteryJsonCodec<double>.Instance.Encode(-0.0));
        Assert.True(double.IsNegative(decoded));
    }

    [Fact]
    public void Lists_and_dictionaries_decode_to_their_natural_types()
    {
        var list = PotteryJsonCodec<List<object?>>.Instance.Decode("[1, \"two\", 3.5, true, null]");
        var dict = PotteryJsonCodec<IReadOnlyDictionary<string, object?>>.Instance.Decode("{\"a\": {\"b\": []}}");

        Assert.Equal(new List<object?> { 1L, "two", 3.5, true, null }, list);
        Assert.Equal(new List<object?>(), ((Dictionary<string, object?>)dict["a"]!)["b"]);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1.0")]
    [InlineData("\"1\"")]
    [InlineData("null")]
    [InlineData("2147483648")]
    public void Integers_are_not_read_from_other_python_types_or_out_of_range(string stored) =>
        Assert.ThrowsAny<FormatException>(() => PotteryJsonCodec<int>.Instance.Decode(stored));

    [Fact]
    public void Booleans_are_not_read_from_numbers_and_strings_not_from_null()
    {
        Assert.Throws<FormatException>(() => PotteryJsonCodec<bool>.Instance.Decode("1"));
        Assert.Throws<FormatException>(() => PotteryJsonCodec<string>.Instance.Decode("null"));
        Assert.Equal(1.0, PotteryJsonCodec<double>.Instance.Decode("1"));
        Assert.Null(PotteryJsonCodec<object>.Instance.Decode("null"));
    }

    [Fact]
    public async Task Undecodable_values_in_redis_name_key_field_and_type()
    {
        var key = TestKeys.Unique();
        await redis.Database.HashSetAsync(key, "\"jack\"", "not json");

        var error = Assert.Throws<CodecException>(() => PotteryJsonCodec<long>.Instance.DecodeAt(redis.Database.HashGet(key, "\"jack\""), key, "\"jack\""));

        Assert.Equal("\"jack\"", error.Field);
        Assert.Equal("Int64", error.TargetType);
        Assert.Contains("Invalid JSON at character 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_types_are_refused_on_first_use() =>
        Assert.Throws<TypeInitializationException>(() => PotteryJsonCodec<Version>.Instance);

    private static void AssertRoundTrip<T>(T value, string? stored = null)
    {
        var codec = PotteryJsonCodec<T>.Instance;
        var encoded = codec.Encode(value);
        if (stored is not null)
        {
            Assert.Equal(stored, encoded.ToString());
        }

        Assert.Equal(value, codec.Decode(encoded));
    }
}

using System.Numerics;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Codecs;

public sealed class BuiltInCodecTests
{
    public enum Shipping
    {
        Pending,
        Shipped,
    }

    [Flags]
    public enum Access
    {
        None = 0,
        Read = 1,
        Write = 2,
    }

    public static TheoryData<string> Strings => new() { string.Empty, "hello", "ünï 漢字 🎉", "tab\tnew\nline\0nul", new string('x', 1_000_000) };

    [Theory]
    [MemberData(nameof(Strings))]
    public void Strings_round_trip(string value) => AssertRoundTrip(value);

    [Fact]
    public void Integers_of_every_width_round_trip_at_their_limits()
    {
        AssertRoundTrip(sbyte.MinValue, "-128");
        AssertRoundTrip(byte.MaxValue, "255");
        AssertRoundTrip(short.MinValue, "-32768");
        AssertRoundTrip(ushort.MaxValue, "65535");
        AssertRoundTrip(int.MinValue, "-2147483648");
        AssertRoundTrip(uint.MaxValue, "4294967295");
        AssertRoundTrip(long.MinValue, "-9223372036854775808");
        AssertRoundTrip(ulong.MaxValue, "18446744073709551615");
        AssertRoundTrip(Int128.MinValue, "-170141183460469231731687303715884105728");
        AssertRoundTrip(UInt128.MaxValue, "340282366920938463463374607431768211455");
        AssertRoundTrip(BigInteger.Pow(10, 40), "1" + new string('0', 40));
        AssertRoundTrip(0, "0");
    }

    [Fact]
    public void Integers_decode_without_copies_and_out_of_range_or_long_malformed_ones_are_refused()
    {
        // StackExchange.Redis keeps integer-looking replies as numbers; these take the numeric path.
        Assert.Equal((byte)42, RedisCodecs.For<byte>().Decode(42L));
        Assert.Equal(-7m, RedisCodecs.For<decimal>().Decode(-7L));
        Assert.Equal(ulong.MaxValue, RedisCodecs.For<ulong>().Decode(ulong.MaxValue));
        Assert.Throws<FormatException>(() => RedisCodecs.For<byte>().Decode(300L));
        Assert.Throws<FormatException>(() => RedisCodecs.For<int>().Decode(long.MaxValue));
        Assert.Throws<FormatException>(() => RedisCodecs.For<uint>().Decode(-1L));

        // Text longer than the stack buffer the codec parses short values from.
        var hundredDigits = "1" + new string('0', 99);
        Assert.Equal(BigInteger.Pow(10, 99), RedisCodecs.For<BigInteger>().Decode(hundredDigits));
        Assert.Throws<FormatException>(() => RedisCodecs.For<BigInteger>().Decode(hundredDigits + "x"));
    }

    [Fact]
    public void Floating_point_round_trips_exactly_including_edge_values()
    {
        foreach (var value in new[] { 0.1, 1.0 / 3, double.MaxValue, double.MinValue, double.Epsilon, 1e16, -1e-300 })
        {
            AssertRoundTrip(value);
        }

        AssertRoundTrip(float.MaxValue);
        AssertRoundTrip(float.Epsilon);
        AssertRoundTrip((Half)0.5);
        AssertRoundTrip(0.1, "0.1");
        AssertRoundTrip(double.NaN, "nan");
        AssertRoundTrip(double.PositiveInfinity, "inf");
        AssertRoundTrip(double.NegativeInfinity, "-inf");
        AssertRoundTrip(float.NaN, "nan");
    }

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        var codec = RedisCodecs.For<double>();
        var decoded = codec.Decode(codec.Encode(-0.0));
        Assert.True(double.IsNegative(decoded));
        Assert.Equal(0.0, decoded);
    }

    [Fact]
    public void Floating_point_reads_the_spellings_redis_writes() =>
        Assert.Equal(
            [double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, 10.5, 5000.0],
            new[] { "inf", "-inf", "Infinity", "10.5", "5e3" }.Select(s => RedisCodecs.For<double>().Decode(s)));

    [Fact]
    public void Decimals_keep_their_scale() => AssertRoundTrip(1.50m, "1.50");

    [Fact]
    public void Decimal_limits_round_trip()
    {
        AssertRoundTrip(decimal.MaxValue);
        AssertRoundTrip(decimal.MinValue);
    }

    [Fact]
    public void Booleans_are_readable_and_accept_digits()
    {
        AssertRoundTrip(true, "true");
        AssertRoundTrip(false, "false");
        Assert.True(RedisCodecs.For<bool>().Decode("1"));
        Assert.False(RedisCodecs.For<bool>().Decode("0"));
    }

    [Fact]
    public void Enums_are_stored_by_name_and_read_by_name_or_number()
    {
        AssertRoundTrip(Shipping.Shipped, "Shipped");
        AssertRoundTrip(Access.Read | Access.Write, "Read, Write");
        AssertRoundTrip((Shipping)42, "42");
        Assert.Equal(Shipping.Shipped, RedisCodecs.For<Shipping>().Decode("1"));
    }

    [Fact]
    public void Guids_dates_and_durations_round_trip_readably()
    {
        var guid = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        AssertRoundTrip(guid, "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        AssertRoundTrip(new DateTime(2026, 11, 24, 6, 47, 43, DateTimeKind.Utc).AddTicks(1234567), "2026-11-24T06:47:43.1234567Z");
        AssertRoundTrip(DateTime.MinValue);
        AssertRoundTrip(DateTime.MaxValue);
        AssertRoundTrip(new DateTimeOffset(2026, 11, 24, 6, 47, 43, TimeSpan.FromHours(-5)), "2026-11-24T06:47:43.0000000-05:00");
        AssertRoundTrip(TimeSpan.FromMilliseconds(-1500), "-00:00:01.5000000");
        AssertRoundTrip(TimeSpan.MaxValue);
        AssertRoundTrip(TimeSpan.MinValue);
    }

    [Fact]
    public void Utc_local_and_unspecified_kinds_survive()
    {
        var codec = RedisCodecs.For<DateTime>();
        foreach (var kind in new[] { DateTimeKind.Utc, DateTimeKind.Local, DateTimeKind.Unspecified })
        {
            var value = new DateTime(2026, 1, 2, 3, 4, 5, kind);
            var decoded = codec.Decode(codec.Encode(value));
            Assert.Equal(kind, decoded.Kind);
            Assert.Equal(value, decoded);
        }
    }

    [Fact]
    public void Byte_arrays_are_stored_as_they_are()
    {
        byte[] bytes = [0, 255, 1, 128, 10];
        Assert.Equal(bytes, RedisCodecs.For<byte[]>().Decode(RedisCodecs.For<byte[]>().Encode(bytes)));
        Assert.Empty(RedisCodecs.For<byte[]>().Decode(RedisCodecs.For<byte[]>().Encode([])));
    }

    [Fact]
    public void Nullable_forms_store_null_as_empty_and_values_like_their_underlying_type()
    {
        AssertRoundTrip<int?>(null, string.Empty);
        AssertRoundTrip<int?>(7, "7");
        AssertRoundTrip<double?>(null, string.Empty);
        AssertRoundTrip<Guid?>(Guid.Empty);
        AssertRoundTrip<Shipping?>(null, string.Empty);
        AssertRoundTrip<Shipping?>(Shipping.Pending, "Pending");
        Assert.Null(RedisCodecs.For<long?>().Decode(RedisValue.Null));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("99999999999")]
    [InlineData("")]
    public void Undecodable_integers_are_format_errors(string stored) =>
        Assert.ThrowsAny<FormatException>(() => RedisCodecs.For<int>().Decode(stored));

    [Fact]
    public void Every_builtin_rejects_bytes_it_did_not_write()
    {
        Assert.Throws<FormatException>(() => RedisCodecs.For<bool>().Decode("yes"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<double>().Decode("1,5"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<decimal>().Decode("x"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<Guid>().Decode("not-a-guid"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<DateTime>().Decode("yesterday"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<DateTimeOffset>().Decode("2026-11-24"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<TimeSpan>().Decode("soon"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<Shipping>().Decode("Lost"));
        Assert.Throws<FormatException>(() => RedisCodecs.For<string>().Decode(RedisValue.Null));
    }

    [Fact]
    public void Null_reference_values_are_argument_errors()
    {
        Assert.Throws<ArgumentNullException>(() => RedisCodecs.For<string>().Encode(null!));
        Assert.Throws<ArgumentNullException>(() => RedisCodecs.For<byte[]>().Encode(null!));
    }

    [Fact]
    public void Types_without_a_codec_are_reported_with_what_to_do()
    {
        var error = Assert.Throws<NotSupportedException>(() => RedisCodecs.For<Version>());
        Assert.Contains("System.Version", error.Message, StringComparison.Ordinal);
        Assert.Contains("RedisCodecs.Register", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_codecs_take_precedence()
    {
        RedisCodecs.Register(new VersionCodec());
        Assert.Equal("v1.2", RedisCodecs.For<Version>().Encode(new Version(1, 2)).ToString());
    }

    private static void AssertRoundTrip<T>(T value, string? stored = null)
    {
        var codec = RedisCodecs.For<T>();
        var encoded = codec.Encode(value);
        if (stored is not null)
        {
            Assert.Equal(stored, encoded.ToString());
        }

        Assert.Equal(value, codec.Decode(encoded));
    }

    private sealed class VersionCodec : IRedisCodec<Version>
    {
        public RedisValue Encode(Version value) => "v" + value;

        public Version Decode(RedisValue value) => Version.Parse(((string)value!)[1..]);
    }
}

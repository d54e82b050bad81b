using System.Numerics;

namespace Pottery.Runtime.Tests.Codecs;

/// <summary>Every expected string here was printed by Python 3.11's json.dumps / json.loads.</summary>
public sealed class PotteryJsonTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(1e22, "1e+22")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(0.5, "0.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(1234.5e-10, "1.2345e-07")]
    [InlineData(2.5e-5, "2.5e-05")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(12345678901234567.0, "1.2345678901234568e+16")]
    [InlineData(0.001, "0.001")]
    public void Floats_are_written_as_python_repr(double value, string python) =>
        Assert.Equal(python, PotteryJson.Serialize(value));

    [Fact]
    public void A_pottery_dict_serialises_to_the_bytes_pottery_stores()
    {
        Assert.Equal("\"jack\"", PotteryJson.Serialize("jack"));
        Assert.Equal("4098", PotteryJson.Serialize(4098));
        Assert.Equal("\"\\u00fcn\\u00ef\"", PotteryJson.Serialize("ünï"));
        Assert.Equal("[1, 2, 3]", PotteryJson.Serialize(new[] { 1, 2, 3 }));
        Assert.Equal(
            "{\"jack\": 4098, \"list\": [1, 2, 3], \"unicode\": \"\\u00fcn\\u00ef\"}",
            PotteryJson.Serialize(new Dictionary<string, object?> { ["jack"] = 4098, ["unicode"] = "ünï", ["list"] = new List<int> { 1, 2, 3 } }));
    }

    [Fact]
    public void List_items_of_every_python_type_match_pottery()
    {
        Assert.Equal(["1", "\"two\"", "3.5", "true", "null"], new object?[] { 1, "two", 3.5, true, null }.Select(PotteryJson.Serialize));
        Assert.Equal("5", PotteryJson.Serialize(5L));
    }

    [Fact]
    public void One_one_point_zero_and_true_are_three_different_values()
    {
        string[] encoded = [PotteryJson.Serialize(1), PotteryJson.Serialize(1.0), PotteryJson.Serialize(true)];
        Assert.Equal(["1", "1.0", "true"], encoded);
    }

    [Fact]
    public void Nested_objects_have_sorted_keys_and_python_separators() =>
        Assert.Equal(
            "{\"a\": [], \"b\": {\"c\": 2, \"d\": 1}}",
            PotteryJson.Serialize(new Dictionary<string, object?> { ["b"] = new Dictionary<string, int> { ["d"] = 1, ["c"] = 2 }, ["a"] = Array.Empty<int>() }));

    [Fact]
    public void Keys_sort_by_code_point_like_python_not_by_utf16_unit() =>
        Assert.Equal(
            "{\"\\ue000\": 1, \"\\ud83d\\ude00\": 2}",
            PotteryJson.Serialize(new Dictionary<string, int> { ["😀"] = 2, ["\ue000"] = 1 }));

    [Fact]
    public void Non_string_keys_become_the_text_python_gives_them() =>
        Assert.Equal(
            "{\"false\": \"f\", \"1\": \"a\", \"2.5\": \"d\"}",
            PotteryJson.Serialize(new Dictionary<object, string> { [2.5] = "d", [1] = "a", [false] = "f" }));

    [Fact]
    public void Numeric_keys_sort_by_value_like_python() =>
        Assert.Equal("{\"9\": \"b\", \"10\": \"a\"}", PotteryJson.Serialize(new Dictionary<int, string> { [10] = "a", [9] = "b" }));

    [Fact]
    public void Keys_python_cannot_sort_together_are_refused() =>
        Assert.Throws<NotSupportedException>(() => PotteryJson.Serialize(new Dictionary<object, int> { ["a"] = 1, [1] = 2 }));

    [Fact]
    public void Strings_escape_like_ensure_ascii() =>
        Assert.Equal("\"\\ud83c\\udf89\\u0001\\u007f\\\"\\\\\\n\\t\\b\\f\\r/\"", PotteryJson.Serialize("🎉\u0001\u007f\"\\\n\t\b\f\r/"));

    [Fact]
    public void Empty_containers_and_strings()
    {
        Assert.Equal("[]", PotteryJson.Serialize(new List<object>()));
        Assert.Equal("{}", PotteryJson.Serialize(new Dictionary<string, object?>()));
        Assert.Equal("\"\"", PotteryJson.Serialize(string.Empty));
    }

    [Fact]
    public void Big_integers_are_written_in_full()
    {
        Assert.Equal("18446744073709551615", PotteryJson.Serialize(ulong.MaxValue));
        Assert.Equal("-9223372036854775808", PotteryJson.Serialize(long.MinValue));
        Assert.Equal("1" + new string('0', 40), PotteryJson.Serialize(BigInteger.Pow(10, 40)));
    }

    [Fact]
    public void Values_with_no_json_form_are_refused_by_name()
    {
        var error = Assert.Throws<NotSupportedException>(() => PotteryJson.Serialize(new Version(1, 0)));
        Assert.Contains("System.Version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_that_contains_itself_is_refused_not_a_stack_overflow()
    {
        var loop = new List<object?>();
        loop.Add(loop);
        Assert.Throws<NotSupportedException>(() => PotteryJson.Serialize(loop));
    }

    [Fact]
    public void Reads_what_python_reads()
    {
        Assert.IsType<long>(PotteryJson.Deserialize("-0"));
        Assert.Equal(0L, PotteryJson.Deserialize("-0"));
        Assert.Equal(1L, PotteryJson.Deserialize(" 1 "));
        Assert.Equal(100000.0, PotteryJson.Deserialize("1e5"));
        Assert.Equal(100.0, PotteryJson.Deserialize("1E+2"));
        Assert.Equal(double.NegativeInfinity, PotteryJson.Deserialize("-Infinity"));
        Assert.True(double.IsNaN((double)PotteryJson.Deserialize("NaN")!));
        Assert.Equal("😀", PotteryJson.Deserialize("\"\\ud83d\\ude00\""));
        Assert.Equal(new Dictionary<string, object?> { ["a"] = 2L }, PotteryJson.Deserialize("{\"a\":1,\"a\":2}"));
        Assert.Equal(BigInteger.Parse("18446744073709551616", System.Globalization.CultureInfo.InvariantCulture), PotteryJson.Deserialize("18446744073709551616"));
        Assert.Equal(new List<object?> { 1L, "two", 3.5, true, null }, PotteryJson.Deserialize("[1, \"two\", 3.5, true, null]"));
        Assert.Null(PotteryJson.Deserialize("null"));
    }

    [Theory]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("[1,]")]
    [InlineData("'a'")]
    [InlineData("\"a\u0001\"")]
    [InlineData("tru")]
    [InlineData("\"\\x\"")]
    [InlineData("\"abc")]
    [InlineData("{1: 2}")]
    [InlineData("")]
    [InlineData("1 2")]
    [InlineData("\"\\u12\"")]
    public void Rejects_what_python_rejects(string json) =>
        Assert.Throws<FormatException>(() => PotteryJson.Deserialize(json));

    [Fact]
    public void Deep_nesting_is_read_up_to_the_limit_and_refused_beyond_it()
    {
        static string Nested(int depth) => new string('[', depth) + new string(']', depth);

        Assert.NotNull(PotteryJson.Deserialize(Nested(PotteryJson.MaxDepth)));
        var error = Assert.Throws<FormatException>(() => PotteryJson.Deserialize(Nested(100_000)));
        Assert.Contains("levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trips_a_nested_document()
    {
        var value = new Dictionary<string, object?>
        {
            ["name"] = "ünï 漢字 🎉",
            ["n"] = long.MaxValue,
            ["x"] = -0.0,
            ["tags"] = new List<object?> { "a", null, false, new Dictionary<string, object?>() },
        };

        var text = PotteryJson.Serialize(value);

        Assert.Equal(text, PotteryJson.Serialize(PotteryJson.Deserialize(text)));
    }
}

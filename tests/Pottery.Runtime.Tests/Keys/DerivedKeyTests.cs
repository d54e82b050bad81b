using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Keys;

public sealed class DerivedKeyTests(HashSlotTests.ClusterModeServer redis) : IClassFixture<HashSlotTests.ClusterModeServer>
{
    private static readonly string[] Keys =
    [
        "jobs", "{jobs}", "{jobs}:in-flight", "{jobs}#in-flight", "{jobs}:x", "jobs}:x", "app:{t1}:emails", "app:{t1}:sms",
        "app:{t1}:emails#in-flight", "a{b", "a{}b", "a}b", "close}brace", "{18465}|close}brace", "}", "{", "{}", "",
        "x|y", "{x|y}", "{0}|", "ünï", "{redlock:x}", "redlock:x",
    ];

    private static readonly string[] Suffixes = ["in-flight", "visible-at", "dead-letter", "fence", "sequence", "tmp:abc", "x:y", "a}b", "{t}"];

    public static TheoryData<string> KeyData => [.. Keys];

    [Fact]
    public void Keys_that_share_a_hash_tag_get_different_helper_keys()
    {
        Assert.NotEqual(DerivedKey.For("app:{t1}:emails", "in-flight"), DerivedKey.For("app:{t1}:sms", "in-flight"));
        Assert.NotEqual(DerivedKey.For("jobs", "in-flight"), DerivedKey.For("{jobs}", "in-flight"));
        Assert.Equal("app:{t1}:emails#in-flight", DerivedKey.For("app:{t1}:emails", "in-flight").ToString());
        Assert.Equal("{jobs}:in-flight", DerivedKey.For("jobs", "in-flight").ToString());
        Assert.Equal("{jobs}#in-flight", DerivedKey.For("{jobs}", "in-flight").ToString());
    }

    [Fact]
    public void A_lock_keeps_its_fence_where_it_always_was() =>
        Assert.Equal("{redlock:orders}:fence", DerivedKey.For("redlock:orders", "fence").ToString());

    [Fact]
    public void No_two_keys_or_suffixes_derive_the_same_name()
    {
        var derived = Keys.SelectMany(key => Suffixes.Select(suffix => (Key: key, Suffix: suffix, Name: DerivedKey.For(key, suffix).ToString()))).ToArray();

        var clashes = derived.GroupBy(d => d.Name).Where(g => g.Count() > 1).Select(g => string.Join(" = ", g.Select(d => $"({d.Key}, {d.Suffix})"))).ToArray();
        Assert.Empty(clashes);
    }

    [Theory]
    [MemberData(nameof(KeyData))]
    public async Task A_helper_key_is_in_its_key_slot_as_the_server_computes_it(string key)
    {
        foreach (var suffix in Suffixes)
        {
            Assert.Equal(await ServerSlotAsync(key), await ServerSlotAsync(DerivedKey.For(key, suffix)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a#b")]
    [InlineData("a|b")]
    public void A_suffix_with_a_separator_is_refused(string suffix) =>
        Assert.Throws<ArgumentException>(() => DerivedKey.For("jobs", suffix));

    private async Task<int> ServerSlotAsync(RedisKey key) =>
        (int)await redis.Connection.GetServer(redis.Server.Endpoint).ExecuteAsync("CLUSTER", "KEYSLOT", key);
}

using System.Globalization;
using Microsoft.CodeAnalysis;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Json;

/// <summary>Types a JsonSerializerContext lists get a System.Text.Json codec; types nothing stores are POT032 at compile time.</summary>
public sealed class JsonCodecGeneratorTests
{
    // What System.Text.Json's own generator would complete; written out because only Pottery's generator runs here.
    private const string Context = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;

        namespace Shop;

        public sealed class Customer
        {
            public string Name { get; set; } = "";
        }

        [JsonSerializable(typeof(Customer))]
        [JsonSerializable(typeof(List<string>))]
        internal partial class ShopJson : JsonSerializerContext
        {
            public ShopJson() : base(null) { }
            public static ShopJson Default { get; } = new();
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    [Fact]
    public void A_dict_property_of_a_listed_type_is_stored_as_json()
    {
        var generated = GeneratorHarness.Generate(Context, """
            using System.Collections.Generic;
            using Pottery;

            namespace Shop;

            [RedisDict]
            public partial class Account
            {
                public partial Customer Owner { get; set; }
                public partial List<string>? Tags { get; set; }
                public partial int Visits { get; set; }
            }
            """);

        Snapshot.Match(Assert.Single(generated).Value, "Account.RedisDict");
    }

    [Fact]
    public void A_typed_dict_of_a_listed_type_is_stored_as_json()
    {
        var generated = GeneratorHarness.Generate(Context, "namespace Shop; [Pottery.RedisDict<string, Customer>] public partial class Customers;");

        Snapshot.Match(Assert.Single(generated).Value, "Customers.TypedRedisDict");
    }

    [Fact]
    public void A_synchronize_placeholder_of_a_listed_type_is_formatted_as_json()
    {
        var generated = GeneratorHarness.Generate(Context, """
            using Pottery;
            using StackExchange.Redis;

            namespace Shop;

            public partial class Billing(IDatabase redis)
            {
                private readonly IDatabase _redis = redis;

                [Synchronize("bill:{customer}")]
                private void ChargeCore(Customer customer) { }
            }
            """);

        Snapshot.Match(Assert.Single(generated).Value, "Billing.Charge.Synchronize");
    }

    [Fact]
    public void A_context_the_class_cannot_reach_is_not_used()
    {
        var nested = Context.Replace("[JsonSerializable(typeof(Customer))]", "public partial class Outer {\n[JsonSerializable(typeof(Customer))]", StringComparison.Ordinal)
            .Replace("internal partial class ShopJson", "private partial class ShopJson", StringComparison.Ordinal) + "}";
        var (run, _, _) = GeneratorHarness.Run(nested, """
            namespace Shop;

            [Pottery.RedisDict]
            public partial class Account
            {
                public partial Customer Owner { get; set; }
            }
            """);

        Assert.Equal("POT032", Assert.Single(run.Diagnostics).Id);
    }

    [Theory]
    [InlineData("[Pottery.RedisDict] public partial class C { public partial Plain P { get; set; } }", "[RedisDict] property 'P' has type 'Plain'", "Plain")]
    [InlineData("[Pottery.RedisDict<Plain, int>] public partial class C;", "The key of [RedisDict<TKey, TValue>] class 'C' has type 'Plain'", "Plain")]
    [InlineData("[Pottery.RedisDict<string, Plain>] public partial class C;", "The value of [RedisDict<TKey, TValue>] class 'C' has type 'Plain'", "Plain")]
    [InlineData("[Pottery.RedisBloom<Plain>(Capacity = 10, FalsePositiveRate = 0.1)] public partial class C;", "The element of [RedisBloom<T>] class 'C' has type 'Plain'", "Plain")]
    [InlineData("public partial class C(StackExchange.Redis.IDatabase redis) { private readonly StackExchange.Redis.IDatabase _redis = redis; [Pottery.Synchronize(\"poco:{customer}\")] private void ChargeCore(Plain customer) { } }", "[Synchronize] key placeholder '{customer}' of 'ChargeCore' has type 'Plain'", "\"poco:{customer}\"")]
    public void A_type_without_a_codec_is_POT032_where_it_is_written(string source, string message, string spelled)
    {
        var user = "public sealed class Plain { public int X { get; set; } } " + source;
        var (run, _, compile) = GeneratorHarness.Run(user);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(("POT032", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        var text = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Contains("[JsonSerializable(typeof(Plain))]", text, StringComparison.Ordinal);
        Assert.Contains("[MessagePackObject]", text, StringComparison.Ordinal);
        Assert.Equal(spelled, user[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
        Assert.DoesNotContain(compile, d => d.Id == "CS9248");
    }
}

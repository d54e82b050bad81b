using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Dict;

public sealed class DictGeneratorTests
{
    private const string UserProfile = """
        using Pottery;

        namespace Shop;

        public enum Tier { Free, Paid }

        [RedisDict(KeyPrefix = "user", TimeToLiveSeconds = 3600)]
        public partial class UserProfile
        {
            public partial string Name { get; set; }
            public partial int Visits { get; set; }
            [RedisField("mail")] public partial string? Email { get; set; }
            public partial double? Score { get; set; }
            public partial Tier Tier { get; set; }
            public string Display => Name;
        }
        """;

    [Fact]
    public void Emits_a_typed_hash_per_instance()
    {
        var generated = GeneratorHarness.Generate(UserProfile);

        Snapshot.Match(Assert.Single(generated).Value, "UserProfile.RedisDict");
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp11)]
    public void Below_CSharp_13_a_dict_class_says_which_LangVersion_to_set_and_generates_nothing(LanguageVersion version)
    {
        var (run, _, compile) = GeneratorHarness.Run(new CSharpParseOptions(version), UserProfile);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("POT037", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("<LangVersion>13</LangVersion>", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains(version.ToDisplayString(), diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);
        Assert.Contains(compile, d => d.Id == "CS8703");
        Assert.DoesNotContain(compile, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void From_CSharp_13_a_dict_class_generates()
    {
        var (run, _, _) = GeneratorHarness.Run(new CSharpParseOptions(LanguageVersion.CSharp13), UserProfile);

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.GeneratedSources);
    }

    [Theory]
    [InlineData("public string Name { get; set; }", "POT030", "declare it 'partial'")]
    [InlineData("public partial string Name { get; }", "POT031", "'get' and 'set'")]
    [InlineData("public partial string Name { get; init; }", "POT031", "'get' and 'set'")]
    [InlineData("public partial string Name { get; private set; }", "POT031", "accessibility")]
    [InlineData("public partial System.Uri Name { get; set; }", "POT032", "'System.Uri'")]
    [InlineData("public partial string Name { get; set; } [RedisField(\"Name\")] public partial string Other { get; set; }", "POT033", "field 'Name'")]
    [InlineData("[RedisField(\"\")] public partial string Name { get; set; }", "POT033", "empty")]
    [InlineData("public partial string Key { get; set; }", "POT034", "[RedisField(\"Key\")]")]
    [InlineData("public partial string Load { get; set; }", "POT034", "[RedisField(\"Load\")]")]
    public void Bad_properties_are_diagnosed(string members, string id, string mentioned)
    {
        var (run, _, _) = GeneratorHarness.Run($$"""
            using Pottery;

            [RedisDict]
            public partial class C
            {
                {{members}}
            }
            """);

        var diagnostic = Assert.Single(run.Diagnostics, d => d.Id.StartsWith("POT", StringComparison.Ordinal));
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(id == "POT030" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(mentioned, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void MessagePack_types_get_a_generated_formatter()
    {
        var generated = GeneratorHarness.Generate("""
            using MessagePack;
            using Pottery;

            namespace Shop;

            [MessagePackObject]
            public sealed class Address
            {
                [Key(0)] public string Street { get; set; } = "";
                [Key(2)] public int? Floor { get; set; }
                [Key(3)] public System.Collections.Generic.List<Point> Corners { get; set; } = [];
            }

            [MessagePackObject]
            public sealed record Point([property: Key(0)] double X, [property: Key(1)] double Y);

            [RedisDict]
            public partial class Customer
            {
                public partial Address Home { get; set; }
            }
            """);

        Snapshot.Match(generated["Shop.Customer.RedisDict.g.cs"], "Customer.RedisDict");
        Snapshot.Match(generated["Shop.Address.2e9014c0.MessagePackCodec.g.cs"], "Address.MessagePackCodec");
        Assert.Equal(3, generated.Count);
    }

    [Theory]
    [InlineData("[Key(0)] public System.Uri Site { get; set; } = null!;", "'Address.Site' has type 'System.Uri'")]
    [InlineData("[Key(\"street\")] public string Street { get; set; } = \"\";", "string [Key]")]
    [InlineData("[Key(0)] public string Street { get; } = \"\";", "cannot be set")]
    [InlineData("[Key(0)] public string A { get; set; } = \"\"; [Key(0)] public string B { get; set; } = \"\";", "[Key] index twice")]
    public void Unsupported_MessagePack_shapes_are_diagnosed(string member, string mentioned)
    {
        var (run, _, _) = GeneratorHarness.Run($$"""
            using MessagePack;

            [MessagePackObject]
            public sealed class Address
            {
                {{member}}
            }

            [Pottery.RedisDict]
            public partial class Customer
            {
                public partial Address Home { get; set; }
            }
            """);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("POT035", diagnostic.Id);
        Assert.Contains(mentioned, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_that_is_not_partial_is_told_to_be() =>
        Assert.Equal("POT001", Assert.Single(GeneratorHarness.Run("[Pottery.RedisDict] public class C { }").Run.Diagnostics).Id);
}

using Microsoft.CodeAnalysis;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Codecs;

/// <summary>One MessagePack formatter per [MessagePackObject] type per compilation, whatever uses it.</summary>
public sealed class SharedFormatterTests
{
    private const string Address = """
        [MessagePack.MessagePackObject]
        public sealed class Address
        {
            [MessagePack.Key(0)] public string Street { get; set; } = "";
            [MessagePack.Key(1)] public Point? Pin { get; set; }
        }

        [MessagePack.MessagePackObject]
        public sealed record Point([property: MessagePack.Key(0)] double X, [property: MessagePack.Key(1)] double Y);
        """;

    [Fact]
    public void A_type_used_by_two_dicts_a_typed_dict_a_bloom_filter_and_a_lock_gets_one_formatter()
    {
        var generated = GeneratorHarness.Generate($$"""
            using Pottery;
            using StackExchange.Redis;

            namespace Shop;

            {{Address}}

            [RedisDict] public partial class Customer { public partial Address Home { get; set; } }
            [RedisDict] public partial class Branch { public partial Address Office { get; set; } public partial Point? Door { get; set; } }
            [RedisDict<string, Address>] public partial class Book;
            [RedisBloom<Address>(Capacity = 100, FalsePositiveRate = 0.01)] public partial class Visited;
            public partial class Couriers
            {
                private readonly IDatabase _redis = null!;
                [Synchronize("courier:{address}")] private void SendCore(Address address) { }
            }
            """);

        var formatters = generated.Where(file => file.Key.EndsWith(".MessagePackCodec.g.cs", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Shop.Address", "Shop.Point"], formatters.Select(file => file.Key.Split('.')[0] + "." + file.Key.Split('.')[1]).Order());
        Assert.Single(formatters, file => file.Value.Contains("internal sealed class Shop_Address : global::Pottery.MessagePackCodec<global::Shop.Address>", StringComparison.Ordinal));
        var users = generated.Except(formatters).ToList();
        Assert.Equal(5, users.Count);
        Assert.All(users, file => Assert.DoesNotContain("MessagePackCodec<", file.Value, StringComparison.Ordinal));
        Assert.All(users, file => Assert.Contains("global::Pottery.Generated.Codecs.User.Shop_Address.Instance", file.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Types_named_alike_in_different_namespaces_get_formatters_that_do_not_collide()
    {
        var generated = GeneratorHarness.Generate($$"""
            namespace North { {{Address}} }
            namespace South { {{Address}} }
            namespace A.B_C { [MessagePack.MessagePackObject] public sealed class D { [MessagePack.Key(0)] public int N { get; set; } } }
            namespace A_B.C { [MessagePack.MessagePackObject] public sealed class D { [MessagePack.Key(0)] public long N { get; set; } } }

            [Pottery.RedisDict]
            public partial class Everything
            {
                public partial North.Address First { get; set; }
                public partial South.Address Second { get; set; }
                public partial A.B_C.D Third { get; set; }
                public partial A_B.C.D Fourth { get; set; }
            }
            """);

        Assert.Equal(6, generated.Keys.Count(name => name.EndsWith(".MessagePackCodec.g.cs", StringComparison.Ordinal)));
        var dict = generated["Everything.RedisDict.g.cs"];
        Assert.Contains("Codecs.User.North_Address.Instance", dict, StringComparison.Ordinal);
        Assert.Contains("Codecs.User.South_Address.Instance", dict, StringComparison.Ordinal);
        Assert.Contains("Codecs.User._9A_1B_0C_1D.Instance", dict, StringComparison.Ordinal);
        Assert.Contains("Codecs.User._9A_0B_1C_1D.Instance", dict, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("private", false)]
    [InlineData("protected", false)]
    [InlineData("private protected", false)]
    [InlineData("internal", true)]
    [InlineData("protected internal", true)]
    [InlineData("public", true)]
    public void Only_a_type_every_class_can_see_gets_a_shared_formatter(string accessibility, bool shared)
    {
        var generated = GeneratorHarness.Generate($$"""
            using Pottery;
            using StackExchange.Redis;

            namespace Shop;

            {{Address}}

            public partial class Outer
            {
                [MessagePack.MessagePackObject]
                {{accessibility}} sealed class Secret
                {
                    [MessagePack.Key(0)] public Address Where { get; set; } = new();
                }

                [RedisDict] private partial class Store { public partial Secret Kept { get; set; } }

                private partial class Courier
                {
                    private readonly IDatabase _redis = null!;
                    [Synchronize("secret:{secret}")] private void HideCore(Secret secret) { }
                }
            }
            """);

        var formatters = generated.Keys.Where(name => name.EndsWith(".MessagePackCodec.g.cs", StringComparison.Ordinal)).ToList();
        Assert.Equal(shared ? 3 : 2, formatters.Count);
        Assert.Equal(shared, formatters.Any(name => name.StartsWith("Shop.Outer.Secret.", StringComparison.Ordinal)));

        // A nested formatter is nested in each class that uses the type, and still uses the shared one of Address.
        var store = generated["Shop.Outer.Store.RedisDict.g.cs"];
        var hide = generated.Single(file => file.Key.Contains(".HideCore.", StringComparison.Ordinal)).Value;
        Assert.Equal(!shared, store.Contains("private sealed class __PotteryCodec_Shop_Outer_Secret", StringComparison.Ordinal));
        Assert.Equal(!shared, hide.Contains("internal sealed class __PotteryCodec_Shop_Outer_Secret", StringComparison.Ordinal));
        Assert.Equal(!shared, store.Contains("global::Pottery.Generated.Codecs.User.Shop_Address.WriteValue", StringComparison.Ordinal));
    }

    [Fact]
    public void An_assembly_that_sees_another_s_internals_uses_its_own_formatters_without_warnings()
    {
        var library = Build("Library", $$"""
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("User")]
            namespace Shop;
            {{Address}}
            [Pottery.RedisDict] internal partial class Customer { public partial Address Home { get; set; } }
            """);
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);

        var user = GeneratorHarness.Compilation("""
            [Pottery.RedisDict] internal partial class Branch { public partial Shop.Address Office { get; set; } public partial Shop.Point Door { get; set; } }
            """).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(user, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        Assert.Equal(2, output.SyntaxTrees.Count(tree => tree.FilePath.EndsWith(".MessagePackCodec.g.cs", StringComparison.Ordinal)));
    }

    private static Compilation Build(string assemblyName, string source)
    {
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(source).WithAssemblyName(assemblyName), out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        return output;
    }
}

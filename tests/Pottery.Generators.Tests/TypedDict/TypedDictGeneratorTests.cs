using System.Globalization;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.TypedDict;

public sealed class TypedDictGeneratorTests
{
    [Fact]
    public void Emits_a_RedisDict_subclass_with_its_codecs()
    {
        var generated = GeneratorHarness.Generate("namespace Phone; [Pottery.RedisDict<string, long>] public partial class Tel;");

        Snapshot.Match(Assert.Single(generated).Value, "Tel.TypedRedisDict");
    }

    [Fact]
    public void An_abstract_class_compiles_without_the_factory_that_would_instantiate_it() =>
        Assert.DoesNotContain("CreateAsync", Assert.Single(GeneratorHarness.Generate("[Pottery.RedisDict<string, long>] public abstract partial class Tel;")).Value, StringComparison.Ordinal);

    [Fact]
    public void A_class_with_a_base_class_is_told_to_drop_it()
    {
        var (run, _, _) = GeneratorHarness.Run("public class Base { } [Pottery.RedisDict<string, long>] public partial class Tel : Base;");

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("POT036", diagnostic.Id);
        Assert.Contains("'Base'", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Types_without_a_codec_are_diagnosed()
    {
        const string Source = "[Pottery.RedisDict<string, System.Uri>] public partial class Sites;";
        var (run, _, _) = GeneratorHarness.Run(Source);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("POT032", diagnostic.Id);
        Assert.Contains("value of [RedisDict<TKey, TValue>] class 'Sites' has type 'System.Uri'", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("System.Uri", Source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
    }
}

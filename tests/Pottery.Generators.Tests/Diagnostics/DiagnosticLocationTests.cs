using Microsoft.CodeAnalysis;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Diagnostics;

/// <summary>Each diagnostic points at what to change, links to its documentation, and comes alone (no follow-on compiler error).</summary>
public sealed class DiagnosticLocationTests
{
    [Theory]
    [InlineData("public partial string Name { get; }", "POT031", "{ get; }")]
    [InlineData("public partial string Name { get; private set; }", "POT031", "{ get; private set; }")]
    [InlineData("public partial string Name { get; init; }", "POT031", "{ get; init; }")]
    [InlineData("public partial System.Uri Name { get; set; }", "POT032", "System.Uri")]
    [InlineData("public partial string Key { get; set; }", "POT034", "Key")]
    [InlineData("public partial string Load { get; set; } public partial int Visits { get; set; }", "POT034", "Load")]
    [InlineData("public partial string Name { get; set; } [RedisField(\"Name\")] public partial string Other { get; set; }", "POT033", "Other")]
    public void A_rejected_property_is_reported_once_at_what_to_change(string members, string id, string spelled)
    {
        var source = $$"""
            using Pottery;

            [RedisDict]
            public partial class C
            {
                {{members}}
            }
            """;

        var (run, _, compile) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(spelled, source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
        Assert.Empty(compile.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("[Synchronize(\"k:{id}\")] private void M(int orderId) { }", "POT023", "\"k:{id}\"")]
    [InlineData("[Synchronize(key: \"k:{id\")] private void M(int id) { }", "POT026", "\"k:{id\"")]
    public void A_key_problem_points_at_the_key(string method, string id, string spelled)
    {
        var source = $$"""
            using Pottery;
            using StackExchange.Redis;

            public partial class C
            {
                private readonly IDatabase _redis = null!;

                {{method}}
            }
            """;

        var diagnostic = Assert.Single(GeneratorHarness.Run(source).Run.Diagnostics);

        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(spelled, source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
    }

    [Fact]
    public void Ambiguous_masters_point_at_each_candidate()
    {
        const string Source = """
            public partial class C
            {
                private readonly StackExchange.Redis.IDatabase _a = null!;
                public System.Collections.Generic.IReadOnlyList<StackExchange.Redis.IDatabase> B { get; } = [];

                [Pottery.Synchronize("k")] private void M() { }
            }
            """;

        var diagnostic = Assert.Single(GeneratorHarness.Run(Source).Run.Diagnostics);

        Assert.Equal("POT025", diagnostic.Id);
        Assert.Equal("M", Source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
        Assert.Equal(["_a", "B"], diagnostic.AdditionalLocations.Select(l => Source[l.SourceSpan.Start..l.SourceSpan.End]));
    }

    [Fact]
    public void Every_diagnostic_links_to_its_documentation()
    {
        var descriptors = new PotteryGenerator().GetType().Assembly.GetType("Pottery.Generators.PotteryDiagnostics")!
            .GetFields().Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().ToArray();

        Assert.NotEmpty(descriptors);
        Assert.All(descriptors, d => Assert.Matches(@"^https://.+README\.md#pot\d{3}$", d.HelpLinkUri));
        Assert.All(descriptors, d => Assert.EndsWith("#" + d.Id.ToLowerInvariant(), d.HelpLinkUri, StringComparison.Ordinal));
    }
}

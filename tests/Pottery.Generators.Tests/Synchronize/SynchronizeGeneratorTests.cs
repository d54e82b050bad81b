using System.Globalization;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Synchronize;

public sealed class SynchronizeGeneratorTests
{
    private const string Orders = """
        using System.Threading;
        using System.Threading.Tasks;
        using Pottery;
        using StackExchange.Redis;

        namespace Shop;

        public partial class Orders(IDatabase redis)
        {
            private readonly IDatabase _redis = redis;

            [Synchronize("orders:{orderId}", AutoReleaseSeconds = 5, TimeoutSeconds = 2.5)]
            private async Task<int> ShipCore(int orderId, CancellationToken cancellationToken)
            {
                await Task.Yield();
                return orderId;
            }

            [Synchronize("inventory", Blocking = false)]
            internal void Recount(string reason = "nightly", params int[] shelves) { }
        }
        """;

    [Fact]
    public void Emits_wrappers_that_hold_the_lock_around_the_body()
    {
        var generated = GeneratorHarness.Generate(Orders);

        Assert.Equal(2, generated.Count);
        Snapshot.Match(generated.Single(g => g.Key.Contains("ShipCore", StringComparison.Ordinal)).Value, "Orders.Ship.Synchronize");
        Snapshot.Match(generated.Single(g => g.Key.Contains("Recount", StringComparison.Ordinal)).Value, "Orders.Recount.Synchronize");
    }

    [Fact]
    public void Static_and_value_task_methods_with_a_static_masters_array()
    {
        var generated = GeneratorHarness.Generate("""
            using System.Threading.Tasks;
            using Pottery;
            using StackExchange.Redis;

            public static partial class Jobs
            {
                public static IDatabase[] Masters { get; set; } = [];
                private static readonly int NotMasters = 1;

                [Synchronize("job:{name}:{{literal}}")]
                private static ValueTask<string> RunCore(string name) => new(name + NotMasters);

                [Synchronize("cleanup")]
                private static ValueTask CleanupCore() => default;

                [Synchronize("sum")]
                private static long SumCore(long a, long b) => a + b;
            }
            """);

        Assert.Equal(3, generated.Count);
        Snapshot.Match(generated.Single(g => g.Key.Contains("RunCore", StringComparison.Ordinal)).Value, "Jobs.Run.Synchronize");
    }

    [Fact]
    public void A_semaphore_form_holds_one_of_its_permits_around_the_body()
    {
        var generated = GeneratorHarness.Generate("""
            using System.Threading;
            using System.Threading.Tasks;
            using Pottery;
            using StackExchange.Redis;

            public partial class Reports(IDatabase redis)
            {
                private readonly IDatabase _redis = redis;

                [Synchronize("reports", Permits = 3, AutoReleaseSeconds = 30)]
                private Task<int> RenderCore(int id, CancellationToken cancellationToken) => Task.FromResult(id);

                [Synchronize("export:{tenant}", Permits = 1)]
                private void ExportCore(string tenant) { }
            }
            """);

        Assert.Equal(2, generated.Count);
        Snapshot.Match(generated.Single(g => g.Key.Contains("RenderCore", StringComparison.Ordinal)).Value, "Reports.Render.Synchronize");
        Assert.Contains("new global::Pottery.RedisSemaphore(\"export:\" + ", generated.Single(g => g.Key.Contains("ExportCore", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reader_writer_form_holds_the_read_or_the_write_side_around_the_body()
    {
        var generated = GeneratorHarness.Generate("""
            using System.Threading.Tasks;
            using Pottery;
            using StackExchange.Redis;

            public partial class Prices(IDatabase redis)
            {
                private readonly IDatabase _redis = redis;

                [Synchronize("prices", Mode = SynchronizeMode.Read)]
                private ValueTask<decimal> QuoteCore(string sku) => new(1m);

                [Synchronize("prices:{sku}", Mode = SynchronizeMode.Write)]
                private void RepriceCore(string sku, decimal price) { }
            }
            """);

        Assert.Equal(2, generated.Count);
        Snapshot.Match(generated.Single(g => g.Key.Contains("QuoteCore", StringComparison.Ordinal)).Value, "Prices.Quote.Synchronize");
        Assert.Contains("new global::Pottery.RedisReaderWriterLock(\"prices:\" + ", generated.Single(g => g.Key.Contains("RepriceCore", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
        Assert.Contains(").WriteLock;", generated.Single(g => g.Key.Contains("RepriceCore", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_semaphore_form_over_several_masters_is_diagnosed()
    {
        var (run, _, _) = GeneratorHarness.Run("""
            public partial class C
            {
                private readonly StackExchange.Redis.IDatabase[] _masters = [];

                [Pottery.Synchronize("k", Permits = 2)] private void M() { }
            }
            """);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("POT028", diagnostic.Id);
        Assert.Contains("lives on one Redis database", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);

        var (rw, _, _) = GeneratorHarness.Run("""
            public partial class C
            {
                private readonly StackExchange.Redis.IDatabase[] _masters = [];

                [Pottery.Synchronize("k", Mode = Pottery.SynchronizeMode.Write)] private void M() { }
            }
            """);
        Assert.Contains("a reader-writer lock (Mode = Write) lives on one Redis database", Assert.Single(rw.Diagnostics).GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Synchronize(\"k\")] private void M(ref int x) { }", "POT020", "'x'")]
    [InlineData("[Synchronize(\"k\")] private void M(out int x) { x = 1; }", "POT020", "'x'")]
    [InlineData("[Synchronize(\"k\")] private unsafe void M(int* x) { }", "POT020", "'x'")]
    [InlineData("[Synchronize(\"k\")] private System.Collections.Generic.IEnumerable<int> M() { yield return 1; }", "POT021", "iterator")]
    [InlineData("[Synchronize(\"k:{id}\")] private void M(int orderId) { }", "POT023", "'{id}'")]
    [InlineData("[Synchronize(\"k:{id\")] private void M(int id) { }", "POT026", "never closed")]
    [InlineData("[Synchronize(\"\")] private void M() { }", "POT026", "empty")]
    [InlineData("[Synchronize(\"k\", Masters = \"Nope\")] private void M() { }", "POT024", "'Nope'")]
    [InlineData("[Synchronize(\"k\", Masters = nameof(_redis))] private static void M() { }", "POT024", "static")]
    [InlineData("[Synchronize(\"k\")] private void M<T>() { }", "POT003", "'M'")]
    [InlineData("[Synchronize(\"k\", Blocking = false, TimeoutSeconds = 5)] private void M() { }", "POT027", "TimeoutSeconds = 5 would be ignored")]
    [InlineData("[Synchronize(\"k\", TimeoutSeconds = 0, Blocking = false)] private void M() { }", "POT027", "TimeoutSeconds = 0 ")]
    [InlineData("[Synchronize(\"k\", Permits = -1)] private void M() { }", "POT028", "Permits = -1 is negative")]
    [InlineData("[Synchronize(\"k\", Permits = 2, Mode = SynchronizeMode.Read)] private void M() { }", "POT028", "Permits and Mode do not combine")]
    [InlineData("[Synchronize(\"k\", Mode = (SynchronizeMode)7)] private void M() { }", "POT028", "Mode = 7 is not a SynchronizeMode")]
    public void Bad_declarations_are_diagnosed(string method, string id, string mentioned)
    {
        var (run, _, _) = GeneratorHarness.Run($$"""
            using Pottery;
            using StackExchange.Redis;

            public partial class C
            {
                private readonly IDatabase _redis = null!;

                {{method}}
            }
            """);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(mentioned, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void An_abstract_method_is_diagnosed()
    {
        var (run, _, _) = GeneratorHarness.Run("""
            public abstract partial class C
            {
                private readonly StackExchange.Redis.IDatabase _redis = null!;

                [Pottery.Synchronize("k")] protected abstract void M();
            }
            """);

        Assert.Equal("POT022", Assert.Single(run.Diagnostics).Id);
    }

    [Fact]
    public void Missing_or_ambiguous_masters_are_diagnosed_with_what_to_add()
    {
        var (none, _, _) = GeneratorHarness.Run("public partial class C { [Pottery.Synchronize(\"k\")] private void M() { } }");
        var missing = Assert.Single(none.Diagnostics);
        Assert.Equal("POT024", missing.Id);
        Assert.Contains("IEnumerable<IDatabase>", missing.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var (two, _, _) = GeneratorHarness.Run("""
            public partial class C
            {
                private readonly StackExchange.Redis.IDatabase _a = null!;
                public System.Collections.Generic.IReadOnlyList<StackExchange.Redis.IDatabase> B { get; } = [];

                [Pottery.Synchronize("k")] private void M() { }

                [Pottery.Synchronize("k", Masters = nameof(B))] private void NCore() { }
            }
            """);
        var ambiguous = Assert.Single(two.Diagnostics);
        Assert.Equal("POT025", ambiguous.Id);
        Assert.Contains("_a, B", ambiguous.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Single(two.GeneratedSources);
    }

    [Fact]
    public void Arbitrary_broken_code_never_crashes_the_generator()
    {
        string[] shapes =
        [
            "public partial class C { [Pottery.Synchronize] void M() { } }",
            "public partial class C { [Pottery.Synchronize(42)] void M() { } }",
            "public partial class C { [Pottery.Synchronize(\"k\")] void M( { }",
            "[Pottery.RedisBloom<>] public partial class D;",
            "[Pottery.RedisBloom<string>(Capacity = \"x\")] public partial class D;",
            "[Pottery.RedisBloom<string>(Capacity = 1e300, FalsePositiveRate = 0.1)] public partial class D;",
            "[Pottery.RedisDict] public partial class E { public partial int this[int i] { get; set; } public partial Missing P { get; set; } }",
            "[Pottery.RedisDict<,>] public partial class F;",
            "public partial class C { [Pottery.Synchronize(\"k\")] Unknown M(Missing x) => default; private StackExchange.Redis.IDatabase r; }",
        ];

        foreach (var shape in shapes)
        {
            GeneratorHarness.Run(shape);
        }
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Tests.Infrastructure;

namespace Pottery.Generators.Tests.Api;

/// <summary>
/// LINQ over the collections compiles for users on .NET 8 and on .NET 10, where
/// <c>System.Linq.AsyncEnumerable</c> ships and a type that is both <c>IEnumerable&lt;T&gt;</c> and
/// <c>IAsyncEnumerable&lt;T&gt;</c> makes every LINQ call ambiguous (CS0121).
/// </summary>
public sealed class LinqCompilesTests
{
    private const string UserCode = """
        using System.Collections.Generic;
        using System.Linq;
        using Pottery;
        using StackExchange.Redis;

        public static class UsesLinq
        {
            public static int Run(IDatabase redis)
            {
                var tel = new RedisDict<string, int>(redis);
                var list = new RedisList<int>(redis);
                var deque = new RedisDeque<int>(redis);
                var set = new RedisSet<string>(redis);
                var counter = new RedisCounter<string>(redis);
                var cached = new CachedOrderedDict<string, int>(redis, "cache", ["a"]);

                IEnumerable<string> names = tel.Select(entry => entry.Key);
                List<KeyValuePair<string, int>> big = tel.Where(entry => entry.Value > 4000).ToList();
                var total = tel.Concat(tel).Count() + tel.First().Value;

                IEnumerable<int> doubled = list.Select(element => element * 2);
                total += list.Where(element => element > 1).ToList().Count + list.Concat(deque).Count() + list.First();
                total += deque.Select(element => element + 1).Where(element => element > 0).ToList().Count + deque.First() + deque.Count();

                IEnumerable<string> upper = set.Select(member => member.ToUpperInvariant());
                total += set.Where(member => member.Length > 1).ToList().Count + set.Concat(names).Count() + set.First().Length;

                IEnumerable<string> elements = counter.Select(entry => entry.Key);
                total += counter.Where(entry => entry.Value > 1).ToList().Count + counter.Concat(counter).Count() + (int)counter.First().Value;

                total += cached.Select(entry => entry.Value).Where(value => value > 0).Concat(doubled).ToList().Count + cached.Count() + cached.First().Value;
                return total + upper.Count() + elements.Count() + big.Count;
            }
        }
        """;

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public void Linq_over_every_collection_compiles(string targetFramework)
    {
        var compilation = CSharpCompilation.Create(
            "UsesLinq",
            [CSharpSyntaxTree.ParseText(UserCode, new CSharpParseOptions(LanguageVersion.Latest))],
            TargetFrameworkReferences.For(targetFramework),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToArray();

        Assert.True(errors.Length == 0, $"On {targetFramework}:\n{string.Join("\n", errors.Select(error => error.ToString()))}");
    }
}

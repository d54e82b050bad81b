using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Collections;

/// <summary>An enumeration that cannot reach Redis fails as every other call does: with <see cref="RedisUnavailableException"/>.</summary>
public sealed class EnumerationFailureTests
{
    [Fact]
    public async Task Await_foreach_over_a_killed_server_throws_RedisUnavailableException()
    {
        await using var dead = await KilledServer.StartAsync();
        var db = dead.Database;
        var key = TestKeys.Unique();

        await AssertUnavailableAsync(new RedisDict<string, int>(db, key).AsAsyncEnumerable());
        await AssertUnavailableAsync(new RedisSet<string>(db, key).AsAsyncEnumerable());
        await AssertUnavailableAsync(new RedisCounter<string>(db, key).AsAsyncEnumerable());
        await AssertUnavailableAsync(new RedisList<string>(db, key).AsAsyncEnumerable());
        await AssertUnavailableAsync(new RedisDeque<string>(db, key).AsAsyncEnumerable());
        Assert.Throws<RedisUnavailableException>(() => new RedisSet<string>(db, key).ToList());
    }

    [Fact]
    public async Task A_server_killed_in_the_middle_of_a_scan_fails_the_next_page_with_RedisUnavailableException()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var db = connection.GetDatabase();
        var key = TestKeys.Unique();
        using var dict = new RedisDict<int, int>(db, Enumerable.Range(0, 5_000).ToDictionary(i => i), key);
        using var list = new RedisList<int>(db, Enumerable.Range(0, 5_000), TestKeys.Unique("list"));

        var seen = 0;
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in dict.AsAsyncEnumerable())
            {
                if (++seen == 1)
                {
                    server.Kill();
                }
            }
        });
        var listError = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in list.AsAsyncEnumerable())
            {
            }
        });

        Assert.IsType<RedisUnavailableException>(error);
        Assert.IsType<RedisUnavailableException>(listError);
    }

    private static async Task AssertUnavailableAsync<T>(IAsyncEnumerable<T> items) =>
        await Assert.ThrowsAsync<RedisUnavailableException>(async () =>
        {
            await foreach (var _ in items)
            {
            }
        });
}

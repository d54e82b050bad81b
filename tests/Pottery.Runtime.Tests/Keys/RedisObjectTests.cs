using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Keys;

public sealed class RedisObjectTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Without_a_key_it_owns_a_random_key_and_deletes_it_on_dispose()
    {
        RedisKey key;
        using (var hash = new ProbeHash(_db, null))
        {
            key = hash.Key;
            Assert.True(hash.OwnsKey);
            Assert.StartsWith("pottery:", key.ToString(), StringComparison.Ordinal);
            hash.Set("a", "1");
            Assert.True(await _db.KeyExistsAsync(key));
        }

        Assert.False(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Async_dispose_deletes_an_owned_key_too()
    {
        var hash = new ProbeHash(_db, null);
        hash.Set("a", "1");

        await hash.DisposeAsync();

        Assert.False(await _db.KeyExistsAsync(hash.Key));
    }

    [Fact]
    public async Task A_named_key_is_never_deleted()
    {
        var key = TestKeys.Unique();
        using (var hash = new ProbeHash(_db, key))
        {
            Assert.False(hash.OwnsKey);
            hash.Set("a", "1");
        }

        Assert.True(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Wrong_redis_type_is_reported_with_key_and_type_found()
    {
        var key = TestKeys.Unique();
        await _db.ListRightPushAsync(key, "item");
        using var hash = new ProbeHash(_db, key);

        var error = Assert.Throws<WrongTypeException>(() => hash.Set("a", "1"));
        var asyncError = await Assert.ThrowsAsync<WrongTypeException>(async () => await hash.SetAsync("a", "1", CancellationToken.None));

        foreach (var e in new[] { error, asyncError })
        {
            Assert.Equal(key.ToString(), e.Key);
            Assert.Equal("hash", e.ExpectedType);
            Assert.Equal("list", e.ActualType);
            Assert.Contains($"'{key}' holds a list", e.Message, StringComparison.Ordinal);
            Assert.IsType<RedisServerException>(e.InnerException);
        }

        Assert.Equal(1, await _db.ListLengthAsync(key));
    }

    [Fact]
    public async Task A_cancelled_token_cancels_before_anything_is_sent()
    {
        var key = TestKeys.Unique();
        using var hash = new ProbeHash(_db, key);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await hash.SetAsync("a", "1", cancelled.Token));

        Assert.False(await _db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_server_that_is_down_is_reported_as_unavailable()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var key = TestKeys.Unique();
        using var hash = new ProbeHash(connection.GetDatabase(), key);
        server.Kill();

        var error = Assert.Throws<RedisUnavailableException>(() => hash.Set("a", "1"));
        var asyncError = await Assert.ThrowsAsync<RedisUnavailableException>(async () => await hash.SetAsync("a", "1", CancellationToken.None));

        Assert.Equal(key.ToString(), error.Key);
        Assert.IsAssignableFrom<RedisException>(asyncError.InnerException);
    }

    private sealed class ProbeHash(IDatabase database, RedisKey? key) : RedisObject(database, key)
    {
        private protected override RedisType RedisType => RedisType.Hash;

        public bool Set(string field, string value) => Sync.Wait(SetAsync(field, value, CancellationToken.None));

        public ValueTask<bool> SetAsync(string field, string value, CancellationToken cancellationToken) =>
            CallAsync((Field: field, Value: value), static (d, k, s) => d.HashSetAsync(k, s.Field, s.Value), static (added, _, _) => added, cancellationToken);
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Generators.Tests.Running;

public enum Tier
{
    Free,
    Paid,
}

[RedisDict(KeyPrefix = "user")]
public partial class UserProfile
{
    public partial string Name { get; set; }

    public partial int Visits { get; set; }

    [RedisField("mail")]
    public partial string? Email { get; set; }

    public partial double Score { get; set; }

    public partial long? Referrals { get; set; }

    public partial Tier Tier { get; set; }
}

[RedisDict(KeyPrefix = "session", TimeToLiveSeconds = 30)]
public partial class Session
{
    public partial Guid User { get; set; }

    public partial int Hits { get; set; }

    public partial double Seconds { get; set; }
}

/// <summary>The generated [RedisDict] members, compiled into this assembly, against a real server.</summary>
public abstract class GeneratedDictTests(IRedisFixture redis)
{
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Properties_are_fields_of_one_hash()
    {
        var id = TestKeys.Unique("jack").ToString();
        var jack = new UserProfile(_db, id)
        {
            Name = "Jack",
            Visits = 3,
            Email = "jack@example.com",
            Tier = Tier.Paid,
        };

        Assert.Equal((RedisKey)("user:" + id), jack.Key);
        Assert.Equal("Jack", jack.Name);
        Assert.Equal("Jack", (string?)await _db.HashGetAsync(jack.Key, "Name"));
        Assert.Equal("jack@example.com", (string?)await _db.HashGetAsync(jack.Key, "mail"));
        Assert.Equal("3", (string?)await _db.HashGetAsync(jack.Key, "Visits"));
        Assert.Equal(Tier.Paid, new UserProfile(_db, jack.Key).Tier);
        Assert.Null(jack.Referrals);
    }

    [Fact]
    public async Task Async_members_read_write_increment_and_remove()
    {
        var jill = new UserProfile(_db, TestKeys.Unique("jill"));
        await jill.SetNameAsync("Jill");
        await jill.SetVisitsAsync(1);
        Assert.Equal("Jill", await jill.GetNameAsync());
        Assert.Equal(6, await jill.IncrementVisitsAsync(5));
        Assert.Equal(7, await jill.IncrementVisitsAsync());
        Assert.Equal(2.5, await jill.IncrementScoreAsync(2.5));
        Assert.Equal(10, await jill.IncrementReferralsAsync(10));
        Assert.Equal(10, await jill.GetReferralsAsync());
        Assert.True(await jill.RemoveReferralsAsync());
        Assert.Null(await jill.GetReferralsAsync());

        await jill.SetEmailAsync("jill@example.com");
        await jill.SetEmailAsync(null);
        Assert.False(await _db.HashExistsAsync(jill.Key, "mail"));
        Assert.True(await jill.ExistsAsync());
        Assert.True(await jill.DeleteAsync());
        Assert.False(await jill.ExistsAsync());
    }

    [Fact]
    public async Task An_increment_past_the_propertys_type_is_an_overflow_and_Redis_keeps_the_64_bit_sum()
    {
        var max = new UserProfile(_db, TestKeys.Unique("max"));
        await max.SetVisitsAsync(int.MaxValue);

        await Assert.ThrowsAsync<OverflowException>(async () => await max.IncrementVisitsAsync());

        Assert.Equal(int.MaxValue + 1L, (long)await _db.HashGetAsync(max.Key, "Visits"));
    }

    [Fact]
    public async Task Sync_members_remove_increment_load_save_and_delete()
    {
        var joe = new UserProfile(_db, TestKeys.Unique("joe"));
        Assert.False(joe.Exists());
        joe.Save(new UserProfile.Snapshot("Joe", 1, "joe@example.com", 0.5, null, Tier.Free));
        Assert.True(joe.Exists());
        Assert.Equal(new UserProfile.Snapshot("Joe", 1, "joe@example.com", 0.5, null, Tier.Free), joe.Load());

        Assert.Equal(4, joe.IncrementVisits(3));
        Assert.Equal(5, joe.IncrementVisits());
        Assert.Equal(2.0, joe.IncrementScore(1.5));
        Assert.Equal(7, joe.IncrementReferrals(7));
        Assert.True(joe.RemoveEmail());
        Assert.False(joe.RemoveEmail());
        Assert.Null(await joe.GetEmailAsync());
        Assert.Equal(new UserProfile.Snapshot("Joe", 5, null, 2.0, 7, Tier.Free), joe.Load());
        Assert.Equal("5", (string?)await _db.HashGetAsync(joe.Key, "Visits"));

        Assert.True(joe.Delete());
        Assert.False(joe.Delete());
        Assert.False(joe.Exists());
        Assert.Throws<FieldMissingException>(() => joe.Load());
    }

    [Fact]
    public async Task Sync_members_throw_the_async_members_typed_errors()
    {
        var list = TestKeys.Unique("sync-list");
        await _db.ListRightPushAsync(list, "x");
        var wrong = new UserProfile(_db, list);
        Assert.Throws<WrongTypeException>(() => wrong.Load());
        Assert.Throws<WrongTypeException>(() => wrong.Save(new UserProfile.Snapshot("x", 1, null, 0, null, Tier.Free)));
        Assert.Throws<WrongTypeException>(() => wrong.RemoveName());
        Assert.Throws<WrongTypeException>(() => wrong.IncrementVisits());
        Assert.True(wrong.Exists());

        var garbled = new UserProfile(_db, TestKeys.Unique("sync-garbled"));
        await _db.HashSetAsync(garbled.Key, "Visits", "many");
        Assert.Equal("Visits", Assert.Throws<CodecException>(() => garbled.Visits).Field);
        Assert.Equal("Visits", (await Assert.ThrowsAsync<CodecException>(async () => await garbled.IncrementVisitsAsync())).Field);
        Assert.Equal("Visits", Assert.Throws<CodecException>(() => garbled.IncrementVisits()).Field);
    }

    [Fact]
    public async Task Missing_non_nullable_fields_name_key_and_field()
    {
        var nobody = new UserProfile(_db, TestKeys.Unique("nobody"));

        var error = Assert.Throws<FieldMissingException>(() => nobody.Name);
        Assert.Equal(("Name", nobody.Key.ToString()), (error.Field, error.Key));
        await Assert.ThrowsAsync<FieldMissingException>(async () => await nobody.GetVisitsAsync());
        Assert.Null(nobody.Email);
        Assert.Null(await nobody.GetReferralsAsync());
    }

    [Fact]
    public async Task Snapshots_load_in_one_HMGET_and_save_in_one_command()
    {
        var ann = new UserProfile(_db, TestKeys.Unique("ann"));
        await ann.SaveAsync(new UserProfile.Snapshot("Ann", 2, "ann@example.com", 1.5, 4, Tier.Free));

        using (var log = CommandLog.Start(redis.Connection))
        {
            var loaded = await ann.LoadAsync();
            Assert.Equal(new UserProfile.Snapshot("Ann", 2, "ann@example.com", 1.5, 4, Tier.Free), loaded);
            await ann.SaveAsync(loaded with { Email = null, Visits = 3 });
            // StackExchange.Redis' script cache sends EVAL on a connection's first use of a script, EVALSHA after.
            Assert.Equal(["HMGET", "EVAL"], log.Commands.Select(command => command == "EVALSHA" ? "EVAL" : command));
        }

        Assert.Equal(new UserProfile.Snapshot("Ann", 3, null, 1.5, 4, Tier.Free), await ann.LoadAsync());
        Assert.False(await _db.HashExistsAsync(ann.Key, "mail"));

        var empty = new UserProfile(_db, TestKeys.Unique("empty"));
        await Assert.ThrowsAsync<FieldMissingException>(async () => await empty.LoadAsync());
    }

    [Fact]
    public async Task TryLoad_gives_the_snapshot_of_a_stored_record_or_null_for_a_missing_one_in_one_round_trip()
    {
        var ann = new UserProfile(_db, TestKeys.Unique("ann"));
        var missing = new UserProfile(_db, TestKeys.Unique("missing"));
        await ann.SaveAsync(new UserProfile.Snapshot("Ann", 2, null, 1.5, 4, Tier.Free));

        using (var log = CommandLog.Start(redis.Connection))
        {
            Assert.Equal(new UserProfile.Snapshot("Ann", 2, null, 1.5, 4, Tier.Free), await ann.TryLoadAsync());
            Assert.Null(await missing.TryLoadAsync());
            Assert.Equal(["EVAL", "EVAL"], log.Commands.Select(command => command == "EVALSHA" ? "EVAL" : command));
        }

        Assert.Equal(new UserProfile.Snapshot("Ann", 2, null, 1.5, 4, Tier.Free), ann.TryLoad());
        Assert.Null(missing.TryLoad());

        // A record that exists but lacks a required field is still an error, as with Load.
        var partial = new UserProfile(_db, TestKeys.Unique("partial"));
        await _db.HashSetAsync(partial.Key, "Visits", "1");
        await Assert.ThrowsAsync<FieldMissingException>(async () => await partial.TryLoadAsync());

        var list = TestKeys.Unique("list");
        await _db.ListRightPushAsync(list, "x");
        await Assert.ThrowsAsync<WrongTypeException>(async () => await new UserProfile(_db, list).TryLoadAsync());
    }

    [Fact]
    public async Task Many_calls_in_flight_each_get_their_own_reply()
    {
        // More calls at once than the reply pool keeps, awaited in an order unlike the sending order.
        var profiles = Enumerable.Range(0, 600).Select(i => new UserProfile(_db, TestKeys.Unique($"many{i}"))).ToArray();
        await Task.WhenAll(profiles.Select((p, i) => p.SaveAsync(new UserProfile.Snapshot($"n{i}", i, null, i / 2.0, null, Tier.Paid)).AsTask()));

        var names = profiles.Select(p => p.GetNameAsync()).ToArray();
        var visits = profiles.Select(p => p.GetVisitsAsync()).ToArray();
        for (var i = names.Length - 1; i >= 0; i--)
        {
            Assert.Equal($"n{i}", await names[i]);
            Assert.Equal(i, await visits[i]);
        }
    }

    [Fact]
    public async Task Calls_awaited_after_their_replies_arrived_map_them_at_the_await()
    {
        var ann = new UserProfile(_db, TestKeys.Unique("late"));
        await ann.SaveAsync(new UserProfile.Snapshot("Ann", 2, null, 1.5, null, Tier.Free));
        var list = TestKeys.Unique("late-list");
        await _db.ListRightPushAsync(list, "x");
        var garbled = new UserProfile(_db, TestKeys.Unique("late-garbled"));
        await _db.HashSetAsync(garbled.Key, "Visits", "many");

        var name = ann.GetNameAsync();
        var load = ann.LoadAsync();
        var set = ann.SetVisitsAsync(3);
        var wrongType = new UserProfile(_db, list).GetNameAsync();
        var undecodable = garbled.GetVisitsAsync();
        // Replies on a connection arrive in order: once the PING is answered, so is everything above.
        await _db.PingAsync();

        Assert.Equal("Ann", await name);
        Assert.Equal(2, (await load).Visits);
        await set;
        await Assert.ThrowsAsync<WrongTypeException>(async () => await wrongType);
        Assert.Equal("Visits", (await Assert.ThrowsAsync<CodecException>(async () => await undecodable)).Field);
        Assert.Equal(3, await ann.GetVisitsAsync());
    }

    [Fact]
    public async Task A_cancelled_token_cancels_generated_calls()
    {
        var ann = new UserProfile(_db, TestKeys.Unique("cancelled"));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ann.GetNameAsync(cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ann.SetNameAsync("x", cancel.Token));
        Assert.False(await ann.ExistsAsync());
    }

    [Fact]
    public async Task Bad_data_is_a_typed_error()
    {
        var list = TestKeys.Unique("list");
        await _db.ListRightPushAsync(list, "x");
        Assert.Throws<WrongTypeException>(() => new UserProfile(_db, list).Name);
        await Assert.ThrowsAsync<WrongTypeException>(async () => await new UserProfile(_db, list).SetNameAsync("x"));
        await Assert.ThrowsAsync<WrongTypeException>(async () => await new UserProfile(_db, list).GetNameAsync());
        await Assert.ThrowsAsync<WrongTypeException>(async () => await new UserProfile(_db, list).LoadAsync());

        var garbled = new UserProfile(_db, TestKeys.Unique("garbled"));
        await _db.HashSetAsync(garbled.Key, "Visits", "many");
        var error = await Assert.ThrowsAsync<CodecException>(async () => await garbled.GetVisitsAsync());
        Assert.Equal("Visits", error.Field);
    }

    [Fact]
    public async Task Writes_renew_the_time_to_live()
    {
        var session = new Session(_db, TestKeys.Unique("s"));
        session.User = Guid.NewGuid();
        Assert.InRange(await _db.KeyTimeToLiveAsync(session.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), Session.TimeToLive);

        // Increments renew it too, in the same script.
        await _db.KeyExpireAsync(session.Key, TimeSpan.FromSeconds(5));
        Assert.Equal(2, await session.IncrementHitsAsync(2));
        Assert.InRange(await _db.KeyTimeToLiveAsync(session.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        await _db.KeyExpireAsync(session.Key, TimeSpan.FromSeconds(5));
        Assert.Equal(0.1, await session.IncrementSecondsAsync(0.1), 10);
        Assert.InRange(await _db.KeyTimeToLiveAsync(session.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal("session", Session.KeyPrefix);
    }

    [Fact]
    public async Task Sync_writes_renew_the_time_to_live()
    {
        var session = new Session(_db, TestKeys.Unique("sync-s"));
        session.Save(new Session.Snapshot(Guid.NewGuid(), 1, 0));
        Assert.InRange(await _db.KeyTimeToLiveAsync(session.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));

        await _db.KeyExpireAsync(session.Key, TimeSpan.FromSeconds(5));
        Assert.Equal(3, session.IncrementHits(2));
        Assert.InRange(await _db.KeyTimeToLiveAsync(session.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        await _db.KeyExpireAsync(session.Key, TimeSpan.FromSeconds(5));
        Assert.Equal(0.25, session.IncrementSeconds(0.25), 10);
        Assert.InRange(await _db.KeyTimeToLiveAsync(session.Key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
    }
}

using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Coordination;

public abstract class RedisBarrierTests(IRedisFixture redis)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Participants_in_two_clients_go_on_together_phase_after_phase()
    {
        var key = TestKeys.Unique("barrier");
        await using var other = await redis.ConnectAsync();
        var here = new RedisBarrier(_db, 4, key);
        var there = new RedisBarrier(other.GetDatabase(), 4, key) { RetryPause = TimeSpan.FromHours(1) };

        for (var phase = 0; phase < 3; phase++)
        {
            Assert.Equal(phase, await here.CurrentPhaseNumberAsync());
            var early = Enumerable.Range(0, 3).Select(_ => there.SignalAndWaitAsync(TimeSpan.FromMinutes(5)).AsTask()).ToArray();
            await Eventually.SucceedsAsync(async () => (long)await _db.HashGetAsync(key, "arrived") == 3 ? true : throw new InvalidOperationException("not all arrived yet"), Deadline);
            Assert.DoesNotContain(early, task => task.IsCompleted);

            Assert.True(await here.SignalAndWaitAsync());
            Assert.All(await Task.WhenAll(early).WaitAsync(Deadline), Assert.True);
        }

        Assert.Equal(3, here.CurrentPhaseNumber());
    }

    [Fact]
    public async Task A_participant_that_times_out_or_is_cancelled_takes_its_arrival_back()
    {
        var key = TestKeys.Unique("barrier");
        var barrier = new RedisBarrier(_db, 2, key);

        Assert.False(await barrier.SignalAndWaitAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Equal("0", await _db.HashGetAsync(key, "arrived"));
        Assert.False(barrier.SignalAndWait(TimeSpan.Zero));
        Assert.Equal("0", await _db.HashGetAsync(key, "arrived"));

        using var cancel = new CancellationTokenSource();
        var waiting = barrier.SignalAndWaitAsync(cancellationToken: cancel.Token).AsTask();
        await Eventually.SucceedsAsync(async () => (long)await _db.HashGetAsync(key, "arrived") == 1 ? true : throw new InvalidOperationException("not arrived yet"), Deadline);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        Assert.Equal("0", await _db.HashGetAsync(key, "arrived"));
        Assert.Equal(0, await barrier.CurrentPhaseNumberAsync());
    }

    [Fact]
    public async Task Bad_arguments_and_wrong_types_get_typed_errors()
    {
        var key = TestKeys.Unique("barrier");
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisBarrier(_db, 0, key));
        var barrier = new RedisBarrier(_db, 1, key);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => barrier.SignalAndWaitAsync(TimeSpan.FromSeconds(-3)).AsTask());
        Assert.True(await barrier.SignalAndWaitAsync(TimeSpan.Zero));

        await _db.KeyDeleteAsync(key);
        await _db.StringSetAsync(key, "x");
        await Assert.ThrowsAsync<WrongTypeException>(() => barrier.CurrentPhaseNumberAsync().AsTask());
        await Assert.ThrowsAsync<WrongTypeException>(() => barrier.SignalAndWaitAsync().AsTask());
    }
}

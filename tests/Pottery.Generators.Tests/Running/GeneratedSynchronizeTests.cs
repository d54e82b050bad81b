using Pottery.Testing.Redis;
using StackExchange.Redis;

namespace Pottery.Generators.Tests.Running;

public partial class Inventory(IDatabase redis, RedisKey counter)
{
    private readonly IDatabase _redis = redis;

    public static IDatabase[] SharedMasters { get; set; } = [];

    public List<string> HeldDuring { get; } = [];

    [Synchronize("inventory:{shelf}")]
    private async Task<long> RestockCore(int shelf, CancellationToken cancellationToken)
    {
        // A non-atomic read-increment-write: only correct under the lock.
        var value = (long)await _redis.StringGetAsync(counter);
        await Task.Yield();
        await _redis.StringSetAsync(counter, value + 1);
        HeldDuring.Add((await _redis.StringGetAsync("redlock:inventory:" + shelf)).IsNull ? "free" : "held");
        cancellationToken.ThrowIfCancellationRequested();
        return value + 1;
    }

    [Synchronize("inventory:audit")]
    private ValueTask AuditCore() => new(_redis.PingAsync());

    [Synchronize("inventory:count:{shelf}")]
    private ValueTask<int> CountCore(int shelf) => ValueTask.FromResult(_redis.KeyExists("redlock:inventory:count:" + shelf) ? shelf : -1);

    [Synchronize("inventory:sync")]
    private string DescribeCore(string name) =>
        _redis.KeyExists("redlock:inventory:sync") ? $"{name} under lock" : $"{name} without lock";

    [Synchronize("inventory:void", Blocking = false)]
    private void TouchCore() => HeldDuring.Add(_redis.KeyExists("redlock:inventory:void") ? "held" : "free");

    [Synchronize("inventory:static")]
    private static Task<bool> StaticCore() => SharedMasters[0].KeyExistsAsync("redlock:inventory:static");
}

public partial class PrintShop(IDatabase redis)
{
    private readonly IDatabase _redis = redis;
    private readonly TaskCompletionSource _twoInside = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;

    public int MostInside { get; private set; }

    public List<long> PermitsHeldDuring { get; } = [];

    // Two permits: the first two callers must be inside together, or the first one's wait times out.
    [Synchronize("printers", Permits = 2)]
    private async Task PrintCore(CancellationToken cancellationToken)
    {
        lock (PermitsHeldDuring)
        {
            MostInside = Math.Max(MostInside, ++_inside);
            if (_inside == 2)
            {
                _twoInside.TrySetResult();
            }
        }

        try
        {
            await _twoInside.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var held = await _redis.SortedSetLengthAsync("semaphore:{printers}");
            lock (PermitsHeldDuring)
            {
                PermitsHeldDuring.Add(held);
            }
        }
        finally
        {
            lock (PermitsHeldDuring)
            {
                _inside--;
            }
        }
    }
}

public partial class PriceList(IDatabase redis)
{
    private readonly IDatabase _redis = redis;
    private readonly TaskCompletionSource _twoReading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reading;
    private int _writing;

    public List<string> Seen { get; } = [];

    // Readers share: the first two must be inside together, or the first one's wait times out. The
    // second counts the reads the server holds while the first still waits inside.
    [Synchronize("pricelist", Mode = SynchronizeMode.Read)]
    private async Task<int> ReadCore()
    {
        int inside;
        lock (Seen)
        {
            Seen.Add(_writing == 0 ? "read alone of writers" : "read beside a writer");
            inside = ++_reading;
        }

        try
        {
            if (inside == 2 && !_twoReading.Task.IsCompleted)
            {
                var held = (int)await _redis.SortedSetLengthAsync("rwlock:{pricelist}");
                _twoReading.TrySetResult();
                return held;
            }

            await _twoReading.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return -1;
        }
        finally
        {
            lock (Seen)
            {
                _reading--;
            }
        }
    }

    [Synchronize("pricelist", Mode = SynchronizeMode.Write)]
    private async Task WriteCore()
    {
        lock (Seen)
        {
            Seen.Add(_reading == 0 && ++_writing == 1 ? "write alone" : "write beside others");
        }

        await Task.Yield();
        lock (Seen)
        {
            _writing--;
        }
    }
}

/// <summary>Generated [Synchronize] wrappers, compiled into this assembly, against a real server.</summary>
public abstract class GeneratedSynchronizeTests(IRedisFixture redis)
{
    /// <summary>The suites on each server kind set <see cref="Inventory.SharedMasters"/>, so they take turns.</summary>
    public const string SharesStatics = "Generated [Synchronize] wrappers over static masters";

    private readonly IDatabase _db = redis.Database;

    [Fact]
    public async Task Concurrent_callers_are_mutually_exclusive_and_the_lock_is_released()
    {
        var counter = TestKeys.Unique("counter");
        var inventories = Enumerable.Range(0, 8).Select(_ => new Inventory(_db, counter)).ToArray();

        await Task.WhenAll(inventories.Select(async inventory =>
        {
            for (var i = 0; i < 25; i++)
            {
                await inventory.Restock(7, CancellationToken.None);
            }
        }));

        Assert.Equal(200, (long)await _db.StringGetAsync(counter));
        Assert.All(inventories.SelectMany(i => i.HeldDuring), state => Assert.Equal("held", state));
        Assert.False(await _db.KeyExistsAsync("redlock:inventory:7"));
    }

    [Fact]
    public async Task Every_shape_of_wrapper_holds_the_lock_while_the_body_runs()
    {
        var inventory = new Inventory(_db, TestKeys.Unique("counter"));
        Inventory.SharedMasters = [_db];

        await inventory.Audit();
        Assert.Equal(3, await inventory.Count(3));
        Assert.Equal("x under lock", inventory.Describe("x"));
        inventory.Touch();
        Assert.Equal(["held"], inventory.HeldDuring);
        Assert.True(await Inventory.Static());
        Assert.False(await _db.KeyExistsAsync("redlock:inventory:sync"));
    }

    [Fact]
    public async Task A_semaphore_wrapper_lets_as_many_callers_in_as_it_has_permits_and_no_more()
    {
        var shop = new PrintShop(_db);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => shop.Print(CancellationToken.None)));

        Assert.Equal(2, shop.MostInside);
        Assert.Equal(8, shop.PermitsHeldDuring.Count);
        Assert.All(shop.PermitsHeldDuring, held => Assert.InRange(held, 1, 2));
        Assert.Equal(0, await _db.SortedSetLengthAsync("semaphore:{printers}"));
    }

    [Fact]
    public async Task Reader_wrappers_run_together_and_writer_wrappers_alone()
    {
        var prices = new PriceList(_db);

        var readers = await Task.WhenAll(prices.Read(), prices.Read());
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 3 == 0 ? prices.Write() : prices.Read()));

        Assert.Contains(2, readers);
        Assert.Equal(8, prices.Seen.Count);
        Assert.All(prices.Seen, seen => Assert.True(seen is "read alone of writers" or "write alone", seen));
        Assert.Equal(0, await _db.SortedSetLengthAsync("rwlock:{pricelist}"));
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_wait_for_the_lock()
    {
        var holder = await new Redlock("inventory:9", _db).AcquireAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Inventory(_db, TestKeys.Unique("counter")).Restock(9, cancel.Token));
        await holder.ReleaseAsync();
    }

    [Fact]
    public async Task A_non_blocking_wrapper_tries_once_and_throws_TimeoutException_when_the_lock_is_taken()
    {
        var holder = await new Redlock("inventory:void", _db).AcquireAsync();
        var inventory = new Inventory(_db, TestKeys.Unique("counter"));

        Assert.Throws<TimeoutException>(inventory.Touch);
        Assert.Empty(inventory.HeldDuring);
        await holder.ReleaseAsync();
        inventory.Touch();
        Assert.Equal(["held"], inventory.HeldDuring);
    }

    [Fact]
    public async Task A_wrapper_whose_key_has_no_parameters_follows_a_change_of_masters()
    {
        await using var elsewhere = await RedisMasters.StartAsync(1);
        Inventory.SharedMasters = [_db];
        Assert.True(await Inventory.Static());

        // The cached lock description is over the old master; the wrapper must not keep using it.
        Inventory.SharedMasters = [elsewhere.Databases[0]];
        try
        {
            await using (await new Redlock("inventory:static", _db).AcquireAsync())
            {
                Assert.True(await Inventory.Static().WaitAsync(TimeSpan.FromSeconds(30)));
            }
        }
        finally
        {
            Inventory.SharedMasters = [_db];
        }
    }
}

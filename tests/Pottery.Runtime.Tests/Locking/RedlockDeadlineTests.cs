using System.Diagnostics;
using Pottery.Testing.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Pottery.Runtime.Tests.Locking;

/// <summary>
/// Every lock call is bounded with masters frozen (SIGSTOP): a timed acquire by its timeout, the
/// rest by the client's command timeout; and masters that did not answer are told apart from
/// masters that said no. Each test starts its own masters, since it pauses them.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class RedlockDeadlineTests(ITestOutputHelper output)
{
    // What a deadline may be overshot by: the contract the issue asks for.
    private static readonly TimeSpan Allowance = TimeSpan.FromMilliseconds(100);

    // Clients that give up on a silent server after 1 s, so the tests stay short. StackExchange.Redis
    // notices overdue commands on a heartbeat, up to about a second late (ClientTimeout allows for it too).
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ClientBound = ClientTimeout + TimeSpan.FromSeconds(1) + Allowance;

    [Theory]
    [InlineData(500)]
    [InlineData(1500)]
    public async Task A_timed_acquire_with_three_of_five_masters_paused_ends_at_its_deadline_saying_the_quorum_was_impossible(int milliseconds)
    {
        await using var masters = await RedisMasters.StartAsync(5);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases);
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        using (masters.Pause(0, 2, 4))
        {
            var (error, took) = await Timed(() => redlock.AcquireAsync(timeout).AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Assert.Contains("3 of 5 masters did not answer", error.Message, StringComparison.Ordinal);
            Within(timeout + Allowance, took, "AcquireAsync");

            (error, took) = await Timed(() => redlock.TryAcquireAsync(timeout).AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Within(timeout + Allowance, took, "TryAcquireAsync");
        }
    }

    [Fact]
    public async Task A_timed_acquire_that_waits_for_a_holder_with_masters_paused_ends_at_its_deadline()
    {
        // Three masters say someone else holds it, so the first try fails early and the acquirer
        // starts listening for releases on every master, the paused one included: that must not outlast the deadline.
        await using var masters = await RedisMasters.StartAsync(5);
        var name = TestKeys.Unique("lock").ToString();
        var redlock = new Redlock(name, masters.Databases);
        foreach (var held in masters.Databases.Take(3))
        {
            await held.StringSetAsync(redlock.Key, "someone else", TimeSpan.FromMinutes(1));
        }

        var timeout = TimeSpan.FromMilliseconds(700);
        using (masters.Pause(4))
        {
            var (error, took) = await Timed(() => redlock.AcquireAsync(timeout).AsTask());
            Assert.IsType<TimeoutException>(error);
            Within(timeout + Allowance, took, "AcquireAsync waiting for a holder");
        }
    }

    [Fact]
    public async Task A_single_try_with_masters_paused_ends_within_the_client_timeout_saying_the_quorum_was_impossible()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        await using var impatient = await Impatient(masters);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), impatient.Databases);
        using (masters.Pause(1, 3, 4))
        {
            var (error, took) = await Timed(() => redlock.TryAcquireAsync().AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Assert.Contains("3 of 5 masters did not answer", error.Message, StringComparison.Ordinal);
            Within(ClientBound, took, "TryAcquireAsync(TimeSpan.Zero)");
        }

        // Not held by anyone: once the masters are back, a single try gets it.
        Assert.NotNull(await redlock.TryAcquireAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_single_try_that_someone_else_refused_on_a_quorum_says_so_even_with_a_master_paused()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        await using var impatient = await Impatient(masters);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), impatient.Databases);
        foreach (var held in masters.Databases.Take(3))
        {
            await held.StringSetAsync(redlock.Key, "someone else", TimeSpan.FromMinutes(1));
        }

        using (masters.Pause(4))
        {
            var (error, took) = await Timed(() => redlock.TryAcquireAsync().AsTask());
            Assert.Null(error);
            Within(ClientBound, took, "TryAcquireAsync refused by a quorum");
        }
    }

    [Fact]
    public async Task Release_extend_and_held_for_with_three_of_five_masters_paused_end_within_the_client_timeout_saying_they_were_unreachable()
    {
        await using var masters = await RedisMasters.StartAsync(5);
        await using var impatient = await Impatient(masters);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), impatient.Databases);
        var handle = await redlock.AcquireAsync();
        var token = handle.Token;
        using (masters.Pause(0, 1, 2))
        {
            var (error, took) = await Timed(() => handle.ExtendAsync().AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Within(ClientBound, took, "ExtendAsync");
            Assert.Equal(0, handle.Extensions);

            (error, took) = await Timed(() => handle.HeldForAsync().AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Within(ClientBound, took, "RedlockHandle.HeldForAsync");

            (error, took) = await Timed(() => redlock.HeldForAsync().AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Within(ClientBound, took, "Redlock.HeldForAsync");

            (error, took) = await Timed(() => redlock.ReleaseAsync(token).AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
            Within(ClientBound, took, "Redlock.ReleaseAsync(token)");

            (error, took) = await Timed(() => handle.ReleaseAsync().AsTask());
            Assert.IsType<QuorumIsImpossibleException>(error);
            Within(ClientBound, took, "RedlockHandle.ReleaseAsync");
        }
    }

    [Fact]
    public async Task A_release_whose_only_master_is_down_says_it_is_unreachable_not_unlocked()
    {
        await using var masters = await RedisMasters.StartAsync(1);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases);
        var handle = await redlock.AcquireAsync();
        masters.Servers[0].Kill();

        var error = await Assert.ThrowsAsync<QuorumIsImpossibleException>(() => handle.ReleaseAsync().AsTask());
        Assert.Contains("1 of 1 masters did not answer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never acquired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_that_a_quorum_answered_without_holding_it_says_it_was_not_held()
    {
        await using var masters = await RedisMasters.StartAsync(3);
        var redlock = new Redlock(TestKeys.Unique("lock").ToString(), masters.Databases);
        var handle = await redlock.AcquireAsync();
        await Task.WhenAll(masters.Databases.Select(master => master.KeyDeleteAsync(redlock.Key)));
        masters.Servers[2].Kill();

        var error = await Assert.ThrowsAsync<ReleaseUnlockedLockException>(() => handle.ReleaseAsync().AsTask());
        Assert.Contains("masters answered that it did not hold the lock", error.Message, StringComparison.Ordinal);
    }

    private static async Task<SeparateConnections> Impatient(RedisMasters masters) =>
        await SeparateConnections.ToAsync(masters.Servers, options => options.AsyncTimeout = (int)ClientTimeout.TotalMilliseconds);

    private static Task<(Exception? Error, TimeSpan Took)> Timed(Func<Task> call) => DeadlineCheck.TimedAsync(call);

    private void Within(TimeSpan bound, TimeSpan took, string what) => DeadlineCheck.Within(output, bound, took, what);
}

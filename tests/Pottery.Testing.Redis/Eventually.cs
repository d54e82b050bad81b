namespace Pottery.Testing.Redis;

/// <summary>Polling with a deadline, for conditions no event announces (e.g. a client reconnecting).</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs <paramref name="attempt"/> until it completes without throwing, or rethrows its last failure at the deadline.</summary>
    /// <typeparam name="T">What the attempt returns.</typeparam>
    /// <param name="attempt">The operation to retry.</param>
    /// <param name="deadline">How long to keep trying.</param>
    /// <returns>The first successful result.</returns>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var giveUpAt = DateTime.UtcNow + deadline;
        while (true)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception) when (DateTime.UtcNow < giveUpAt)
            {
                await Task.Delay(PollInterval).ConfigureAwait(false);
            }
        }
    }
}

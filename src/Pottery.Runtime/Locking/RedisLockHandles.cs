using System.Runtime.CompilerServices;

namespace Pottery;

/// <summary>Hands a lock's own handle type out as <see cref="IRedisLockHandle"/>, for <see cref="IRedisLock"/>.</summary>
internal static class RedisLockHandles
{
    /// <summary>The acquisition as an <see cref="IRedisLockHandle"/>; one that already completed costs nothing.</summary>
    public static ValueTask<IRedisLockHandle> Of<THandle>(ValueTask<THandle> acquiring)
        where THandle : class, IRedisLockHandle =>
        acquiring.IsCompletedSuccessfully ? ValueTask.FromResult<IRedisLockHandle>(acquiring.Result) : AwaitedAsync(acquiring);

    // Pooled, because [Synchronize] wrappers acquire through here on every call.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<IRedisLockHandle> AwaitedAsync<THandle>(ValueTask<THandle> acquiring)
        where THandle : class, IRedisLockHandle => await acquiring.ConfigureAwait(false);
}

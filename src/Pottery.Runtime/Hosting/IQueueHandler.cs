namespace Pottery;

/// <summary>
/// Processes the items of a <see cref="RedisQueue{T}"/> for a hosted consumer (registered with
/// <c>AddQueueConsumer</c>). Each item gets its own service scope and handler instance.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public interface IQueueHandler<in T>
{
    /// <summary>
    /// Processes one item. Returning acknowledges it, so it leaves the queue; throwing hands it out
    /// again (see <c>AddQueueConsumer</c>). The same item may come more than once (at-least-once
    /// delivery), so processing should be idempotent.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Fires when the host stops; a handler that stops early by throwing <see cref="OperationCanceledException"/> hands its item back to the queue.</param>
    /// <returns>A task that completes when the item is processed.</returns>
    ValueTask HandleAsync(T item, CancellationToken cancellationToken);
}

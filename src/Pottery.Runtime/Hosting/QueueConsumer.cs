using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pottery;

/// <summary>
/// A hosted consumer of one <see cref="RedisQueue{T}"/>: a few loops that each take a delivery, run a
/// scoped handler on it and acknowledge it on success or hand it back on failure.
/// </summary>
internal sealed class QueueConsumer<T, THandler>(IServiceProvider services, string key, int concurrency, bool abandonOnFailure, ILogger logger) : BackgroundService
    where THandler : class, IQueueHandler<T>
{
    // After a failed take (Redis down, an undecodable item), before the next.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first resolution may connect; the host's start does not wait for it.
        await Task.Yield();
        var queue = services.GetRequiredKeyedService<RedisQueue<T>>(key);
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var loops = new Task[concurrency];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = ConsumeAsync(queue, scopes, stoppingToken);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task ConsumeAsync(RedisQueue<T> queue, IServiceScopeFactory scopes, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueDelivery<T> delivery;
            try
            {
                delivery = await queue.DequeueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // A take cancelled after its command went out gives its delivery back by itself.
                return;
            }
#pragma warning disable CA1031 // A consumer outlives any one failed take: it logs, waits and takes again.
            catch (Exception error)
#pragma warning restore CA1031
            {
                HostingLog.TakeFailed(logger, error, key, RetryDelay);
                try
                {
                    await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            await ProcessAsync(queue, scopes, delivery, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(RedisQueue<T> queue, IServiceScopeFactory scopes, QueueDelivery<T> delivery, CancellationToken stoppingToken)
    {
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var handler = scope.ServiceProvider.GetRequiredService<THandler>();
                await handler.HandleAsync(delivery.Value, stoppingToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Whatever the handler throws, its item goes back to the queue and the consumer goes on.
        catch (Exception error)
#pragma warning restore CA1031
        {
            var stopping = error is OperationCanceledException && stoppingToken.IsCancellationRequested;
            if (stopping)
            {
                HostingLog.HandlerStopped(logger, key, delivery.Id, delivery.DeliveryCount);
            }
            else
            {
                HostingLog.HandlerFailed(logger, error, key, delivery.Id, delivery.DeliveryCount);
            }

            if (stopping || abandonOnFailure)
            {
                await SettleAsync(queue, delivery, acknowledge: false).ConfigureAwait(false);
            }

            return;
        }

        await SettleAsync(queue, delivery, acknowledge: true).ConfigureAwait(false);
    }

    // Not cancelled by the host's stop: an item processed just before it must still be acknowledged.
    private async Task SettleAsync(RedisQueue<T> queue, QueueDelivery<T> delivery, bool acknowledge)
    {
        try
        {
            var settled = acknowledge
                ? await queue.AcknowledgeAsync(delivery, CancellationToken.None).ConfigureAwait(false)
                : await queue.AbandonAsync(delivery, CancellationToken.None).ConfigureAwait(false);
            if (!settled)
            {
                HostingLog.DeliveryExpired(logger, key, delivery.Id, delivery.DeliveryCount);
            }
        }
#pragma warning disable CA1031 // The visibility timeout hands the item out again; the consumer goes on.
        catch (Exception error)
#pragma warning restore CA1031
        {
            HostingLog.SettleFailed(logger, error, key, delivery.Id, delivery.DeliveryCount);
        }
    }
}

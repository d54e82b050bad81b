using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Queues;

/// <summary>Opens each kind of queue by name, for tests that every kind must pass.</summary>
internal static class QueueKind
{
    public const string Simple = "simple";
    public const string Fifo = "fifo";
    public const string Lifo = "lifo";
    public const string Priority = "priority";

    public static readonly string[] All = [Simple, Fifo, Lifo, Priority];

    /// <summary>The kinds that take a capacity (SimpleQueue is unbounded, as in Python).</summary>
    public static readonly string[] Bounded = [Fifo, Lifo, Priority];

    /// <summary>A queue that waits for wake-ups only: its retry pause outlasts any test.</summary>
    public static AnyQueue Open(string kind, IDatabase database, RedisKey key, int capacity = 0) =>
        Open(kind, database, key, capacity, TimeSpan.FromHours(1));

    /// <summary>A queue of <paramref name="kind"/> with the given retry pause.</summary>
    public static AnyQueue Open(string kind, IDatabase database, RedisKey key, int capacity, TimeSpan retryPause)
    {
        var queue = kind switch
        {
            Simple => new AnyQueue(new RedisSimpleQueue<string>(database, key)),
            Fifo => new AnyQueue(new RedisQueue<string>(database, key, capacity)),
            Lifo => new AnyQueue(new RedisLifoQueue<string>(database, key, capacity)),
            Priority => new AnyQueue(new RedisPriorityQueue<string>(database, key, capacity)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown queue kind."),
        };
        queue.RetryPause = retryPause;
        return queue;
    }
}

/// <summary>
/// Any kind of queue of strings behind one surface: a take gives the item, and a
/// <see cref="RedisQueue{T}"/>'s deliveries are kept in <see cref="Deliveries"/> to acknowledge.
/// </summary>
internal sealed class AnyQueue : IDisposable, IAsyncDisposable
{
    private readonly RedisQueueBase<string, string>? _plain;

    public AnyQueue(RedisQueueBase<string, string> plain) => _plain = plain;

    public AnyQueue(RedisQueue<string> fifo) => Fifo = fifo;

    /// <summary>The at-least-once queue, when this is one.</summary>
    public RedisQueue<string>? Fifo { get; }

    /// <summary>Deliveries of <see cref="Fifo"/> taken through this surface, not yet acknowledged.</summary>
    public ConcurrentQueue<QueueDelivery<string>> Deliveries { get; } = new();

    public RedisKey Key => _plain?.Key ?? Fifo!.Key;

    public int Capacity => _plain?.Capacity ?? Fifo!.Capacity;

    public TimeSpan RetryPause
    {
        get => _plain?.RetryPause ?? Fifo!.RetryPause;
        set
        {
            if (_plain is not null)
            {
                _plain.RetryPause = value;
            }
            else
            {
                Fifo!.RetryPause = value;
            }
        }
    }

    public bool IsEmpty => _plain?.IsEmpty ?? Fifo!.IsEmpty;

    public void Enqueue(string item)
    {
        if (_plain is not null)
        {
            _plain.Enqueue(item);
        }
        else
        {
            Fifo!.Enqueue(item);
        }
    }

    public ValueTask EnqueueAsync(string item, CancellationToken cancellationToken = default) =>
        _plain?.EnqueueAsync(item, cancellationToken) ?? Fifo!.EnqueueAsync(item, cancellationToken);

    public ValueTask<bool> TryEnqueueAsync(string item, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _plain?.TryEnqueueAsync(item, timeout, cancellationToken) ?? Fifo!.TryEnqueueAsync(item, timeout, cancellationToken);

    public string Dequeue() => DequeueAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask<string> DequeueAsync(CancellationToken cancellationToken = default) =>
        _plain is not null ? await _plain.DequeueAsync(cancellationToken) : Kept(await Fifo!.DequeueAsync(cancellationToken));

    public bool TryDequeue(out string? item, TimeSpan timeout = default)
    {
        (var found, item) = TryDequeueAsync(timeout).AsTask().GetAwaiter().GetResult();
        return found;
    }

    public async ValueTask<(bool Found, string? Item)> TryDequeueAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default)
    {
        if (_plain is not null)
        {
            return await _plain.TryDequeueAsync(timeout, cancellationToken);
        }

        var (found, delivery) = await Fifo!.TryDequeueAsync(timeout, cancellationToken);
        return found ? (true, Kept(delivery!)) : (false, null);
    }

    public ValueTask<int> CountAsync() => _plain?.CountAsync() ?? Fifo!.CountAsync();

    public ValueTask<bool> IsEmptyAsync() => _plain?.IsEmptyAsync() ?? Fifo!.IsEmptyAsync();

    /// <summary>Acknowledges every delivery taken through this surface.</summary>
    public async Task AcknowledgeAllAsync()
    {
        while (Deliveries.TryDequeue(out var delivery))
        {
            Assert.True(await Fifo!.AcknowledgeAsync(delivery));
        }
    }

    public void Dispose()
    {
        _plain?.Dispose();
        Fifo?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_plain is not null)
        {
            await _plain.DisposeAsync();
        }

        if (Fifo is not null)
        {
            await Fifo.DisposeAsync();
        }
    }

    private string Kept(QueueDelivery<string> delivery)
    {
        Deliveries.Enqueue(delivery);
        return delivery.Value;
    }
}

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
    public static RedisQueueBase<string> Open(string kind, IDatabase database, RedisKey key, int capacity = 0)
    {
        RedisQueueBase<string> queue = kind switch
        {
            Simple => new RedisSimpleQueue<string>(database, key),
            Fifo => new RedisQueue<string>(database, key, capacity),
            Lifo => new RedisLifoQueue<string>(database, key, capacity),
            Priority => new RedisPriorityQueue<string>(database, key, capacity),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown queue kind."),
        };
        queue.RetryPause = TimeSpan.FromHours(1);
        return queue;
    }
}

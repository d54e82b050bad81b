using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pottery;

/// <summary>
/// The loggers Pottery writes to, one per category, made from the factory given to
/// <see cref="PotteryTelemetry.UseLoggerFactory"/>. The log events themselves are
/// <see cref="LockLog"/>, <see cref="QueueLog"/>, <see cref="CacheLog"/> and <see cref="IdLog"/>.
/// </summary>
internal static class PotteryLogs
{
    private static Loggers _current = new(NullLoggerFactory.Instance);

    /// <summary>Whether a factory other than the null one was given: callers skip building log arguments otherwise.</summary>
    public static bool On => Volatile.Read(ref _current).On;

    /// <summary>Category <c>Pottery.Locking</c>.</summary>
    public static ILogger Locking => Volatile.Read(ref _current).Locking;

    /// <summary>Category <c>Pottery.Queues</c>.</summary>
    public static ILogger Queues => Volatile.Read(ref _current).Queues;

    /// <summary>Category <c>Pottery.Messaging</c>.</summary>
    public static ILogger Messaging => Volatile.Read(ref _current).Messaging;

    /// <summary>Category <c>Pottery.Caching</c>.</summary>
    public static ILogger Caching => Volatile.Read(ref _current).Caching;

    /// <summary>Category <c>Pottery.Ids</c>.</summary>
    public static ILogger Ids => Volatile.Read(ref _current).Ids;

    /// <summary>Makes every category's logger from <paramref name="factory"/>.</summary>
    public static void Use(ILoggerFactory factory) => Volatile.Write(ref _current, new Loggers(factory));

    // One object, swapped whole, so that a reader never mixes two factories' loggers.
    private sealed class Loggers(ILoggerFactory factory)
    {
        public bool On { get; } = factory is not NullLoggerFactory;

        public ILogger Locking { get; } = factory.CreateLogger("Pottery.Locking");

        public ILogger Queues { get; } = factory.CreateLogger("Pottery.Queues");

        public ILogger Messaging { get; } = factory.CreateLogger("Pottery.Messaging");

        public ILogger Caching { get; } = factory.CreateLogger("Pottery.Caching");

        public ILogger Ids { get; } = factory.CreateLogger("Pottery.Ids");
    }
}

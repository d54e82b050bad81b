namespace Pottery;

/// <summary>The values of <see cref="TelemetryTags.LockKind"/>: which primitive an acquisition is of.</summary>
internal static class LockKinds
{
    /// <summary>A <see cref="Redlock"/>.</summary>
    public const string Lock = "lock";

    /// <summary>A permit of a <see cref="RedisSemaphore"/>.</summary>
    public const string Semaphore = "semaphore";

    /// <summary>A read of a <see cref="RedisReaderWriterLock"/>.</summary>
    public const string Read = "read";

    /// <summary>The write of a <see cref="RedisReaderWriterLock"/>.</summary>
    public const string Write = "write";
}

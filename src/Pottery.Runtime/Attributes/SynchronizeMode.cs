namespace Pottery;

/// <summary>Which side of a reader-writer lock a <c>[Synchronize]</c> wrapper holds (see <see cref="SynchronizeAttribute.Mode"/>).</summary>
public enum SynchronizeMode
{
    /// <summary>A lock held by one caller at a time (a <see cref="Redlock"/>, or a semaphore's permit with <see cref="SynchronizeAttribute.Permits"/>).</summary>
    Exclusive,

    /// <summary>A read of a <see cref="RedisReaderWriterLock"/>: shared with other readers, never with a writer.</summary>
    Read,

    /// <summary>A write of a <see cref="RedisReaderWriterLock"/>: alone, and before readers that come after it waits.</summary>
    Write,
}

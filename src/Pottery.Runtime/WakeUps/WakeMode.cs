namespace Pottery;

/// <summary>Whom one message on a <see cref="WakeUpChannel"/> wakes.</summary>
internal enum WakeMode
{
    /// <summary>The longest-waiting listener not already woken: one item, one free slot, one released lock is one chance, and waking every waiter for it only makes them race.</summary>
    One,

    /// <summary>Every listener: a condition that, once true, is true for all (a queue whose work is all done).</summary>
    All,

    /// <summary>
    /// The listener whose address the message is (a waiter's token): a released permit goes to the
    /// waiter first in the server's line, which may be in this process or another; a message naming
    /// nobody here wakes nobody here.
    /// </summary>
    Addressed,
}

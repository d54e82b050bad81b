namespace Pottery;

/// <summary>
/// Makes the Pottery source generator emit a wrapper that runs this method while holding a
/// <see cref="Redlock"/> (pottery's <c>@synchronize</c>). Write the body once in a method named
/// <c>…Core</c>; callers call the generated method without the suffix (or with <c>Synchronized</c>
/// appended when there is none), which acquires the lock (as <see cref="Redlock.Acquire"/>), runs the body and releases the lock when the body ends.
/// </summary>
/// <remarks>
/// <para>The key may embed parameters, <c>"orders:{orderId}"</c>, formatted with each parameter's
/// codec; an unknown placeholder is a compile-time error. Write <c>{{</c> and <c>}}</c> for literal braces.</para>
/// <para>The lock's masters come from a field or property of the containing type whose type is
/// <c>IDatabase</c> or a collection of <c>IDatabase</c>: the one <see cref="Masters"/> names, or else the
/// only such member (for a static method the only static one; for an instance method the only
/// instance one, or the only static one when there is no instance one).</para>
/// <para>Methods returning <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c> get
/// asynchronous wrappers; a <c>CancellationToken</c> parameter cancels waiting for the lock and is passed to the body.
/// Wrappers of private methods are public; others keep the method's accessibility.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SynchronizeAttribute : Attribute
{
    /// <summary>Marks a method to run under the lock named <paramref name="key"/>.</summary>
    /// <param name="key">The lock's name (Redis keys are <c>redlock:&lt;key&gt;</c>); may contain <c>{parameter}</c> placeholders.</param>
    public SynchronizeAttribute(string key) => Key = key;

    /// <summary>The lock's name, possibly with <c>{parameter}</c> placeholders.</summary>
    public string Key { get; }

    /// <summary>The auto-release time in seconds (pottery's <c>auto_release_time</c>); 10 by default.</summary>
    public double AutoReleaseSeconds { get; set; } = 10;

    /// <summary>Whether to wait for the lock (pottery's <c>blocking</c>); true by default. When false the wrapper tries once, and throws <see cref="TimeoutException"/> if the lock is taken; a <see cref="TimeoutSeconds"/> of 0 or more with it is a compile-time error (POT027), as pottery raises <c>ValueError</c>.</summary>
    public bool Blocking { get; set; } = true;

    /// <summary>How long to wait at most, in seconds, when blocking (pottery's <c>timeout</c>); a negative value (the default) waits as long as it takes. A wrapper that cannot acquire in time throws <see cref="TimeoutException"/>.</summary>
    public double TimeoutSeconds { get; set; } = -1;

    /// <summary>
    /// How many callers may run the method at once, across every process: 1 or more makes the wrapper
    /// hold one permit of a <see cref="RedisSemaphore"/> of that many permits (Redis key
    /// <c>semaphore:{&lt;key&gt;}</c>) instead of a <see cref="Redlock"/>; 0 (the default) is a lock.
    /// A semaphore lives on one Redis database, so the masters member must be a single <c>IDatabase</c>
    /// (POT028 otherwise); <see cref="AutoReleaseSeconds"/> is then each permit's lease.
    /// </summary>
    public int Permits { get; set; }

    /// <summary>
    /// <see cref="SynchronizeMode.Read"/> or <see cref="SynchronizeMode.Write"/> makes the wrapper hold
    /// that side of a <see cref="RedisReaderWriterLock"/> (Redis key <c>rwlock:{&lt;key&gt;}</c>) instead
    /// of a <see cref="Redlock"/>: methods that read with the same key run together, a method that
    /// writes runs alone. Like a semaphore it lives on one Redis database (a single <c>IDatabase</c>),
    /// <see cref="AutoReleaseSeconds"/> is each acquisition's lease, and it does not combine with
    /// <see cref="Permits"/> (POT028). <see cref="SynchronizeMode.Exclusive"/> (the default) is a lock.
    /// </summary>
    public SynchronizeMode Mode { get; set; }

    /// <summary>The name of the field or property holding the masters, when the type has more than one candidate.</summary>
    public string? Masters { get; set; }
}

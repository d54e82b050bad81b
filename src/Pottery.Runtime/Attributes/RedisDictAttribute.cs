namespace Pottery;

/// <summary>
/// Makes the Pottery source generator store this <c>partial</c> class's <c>partial</c> properties as
/// the fields of one Redis hash per instance (key <c>&lt;KeyPrefix&gt;:&lt;id&gt;</c>). It emits the
/// constructors, each property's getter and setter (one <c>HGET</c>/<c>HSET</c>), <c>Get…Async</c>,
/// <c>Set…Async</c>, <c>Remove…Async</c>, <c>Increment…Async</c> for integer and floating-point
/// properties, a <c>Snapshot</c> record with <c>LoadAsync</c> (one <c>HMGET</c>) and <c>SaveAsync</c>
/// (one write), <c>ExistsAsync</c> and <c>DeleteAsync</c>.
/// </summary>
/// <remarks>
/// Field names default to the property names; <see cref="RedisFieldAttribute"/> renames one. A
/// missing field reads as <see langword="null"/> for nullable properties and throws
/// <see cref="FieldMissingException"/> for the others; setting a nullable property to
/// <see langword="null"/> removes the field. Property types are the runtime's built-in codec types
/// or <c>[MessagePackObject]</c> types, for which the generator writes the formatter.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RedisDictAttribute : Attribute
{
    /// <summary>The key prefix: an instance with id <c>42</c> lives at <c>&lt;KeyPrefix&gt;:42</c>; the class name when not set.</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>When positive, every write sets the hash's time to live to this many seconds.</summary>
    public double TimeToLiveSeconds { get; set; }
}

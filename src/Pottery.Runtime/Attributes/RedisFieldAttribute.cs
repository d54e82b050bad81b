namespace Pottery;

/// <summary>Stores a <c>[RedisDict]</c> property under another hash field name than the property's.</summary>
/// <param name="name">The hash field name.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class RedisFieldAttribute(string name) : Attribute
{
    /// <summary>The hash field name.</summary>
    public string Name { get; } = name;
}

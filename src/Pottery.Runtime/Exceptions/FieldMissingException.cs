namespace Pottery;

/// <summary>A hash field that must have a value (a non-nullable generated property) is not stored.</summary>
public sealed class FieldMissingException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The hash's key.</param>
    /// <param name="field">The missing field.</param>
    /// <param name="typeName">The type the field should hold.</param>
    public FieldMissingException(string key, string field, string typeName)
        : base($"Redis hash '{key}' has no field '{field}', and its {typeName} value cannot be null. Set it first, or make the property nullable to read a missing field as null.", key)
    {
        Field = field;
    }

    /// <summary>The missing field.</summary>
    public string Field { get; }
}

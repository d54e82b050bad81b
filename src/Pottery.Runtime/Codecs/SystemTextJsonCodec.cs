using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Stores values as UTF-8 JSON written and read by System.Text.Json with the metadata of a
/// <see cref="JsonTypeInfo{T}"/>, typically a source-generated <c>JsonSerializerContext</c>'s, so
/// nothing is discovered by reflection and the codec is safe under trimming and Native AOT.
/// </summary>
/// <typeparam name="T">The type the codec stores.</typeparam>
/// <remarks>
/// Pottery's generator uses this codec for a type that a <c>JsonSerializerContext</c> in the
/// project lists with <c>[JsonSerializable(typeof(T))]</c>; elsewhere, pass it where a codec is
/// taken or register it with <see cref="RedisCodecs.Register{T}(JsonTypeInfo{T})"/>.
/// </remarks>
public sealed class SystemTextJsonCodec<T> : IRedisCodec<T>
{
    /// <summary>Creates the codec.</summary>
    /// <param name="typeInfo">The metadata to serialize with, e.g. <c>AppJsonContext.Default.Customer</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public SystemTextJsonCodec(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        TypeInfo = typeInfo;
    }

    /// <summary>The metadata the codec serializes with.</summary>
    public JsonTypeInfo<T> TypeInfo { get; }

    /// <inheritdoc />
    public RedisValue Encode(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo);

    /// <inheritdoc />
    public T Decode(RedisValue value)
    {
        if (value.IsNull)
        {
            throw new FormatException("No value is stored.");
        }

        try
        {
            return JsonSerializer.Deserialize((ReadOnlySpan<byte>)value, TypeInfo)!;
        }
        catch (JsonException error)
        {
            throw new FormatException($"The bytes are not JSON for a {typeof(T).Name}: {error.Message}", error);
        }
    }
}

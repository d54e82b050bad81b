using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// Decodes values read from Redis so that a bad value is reported with where it was found.
/// </summary>
public static class CodecDecoding
{
    private const int PreviewLength = 48;

    /// <summary>
    /// Decodes <paramref name="raw"/> with <paramref name="codec"/>; undecodable bytes become a
    /// <see cref="CodecException"/> naming <paramref name="key"/>, <paramref name="field"/> and the expected type.
    /// </summary>
    /// <typeparam name="T">The type to decode.</typeparam>
    /// <param name="codec">The codec to decode with.</param>
    /// <param name="raw">The value Redis returned.</param>
    /// <param name="key">The key it was read from.</param>
    /// <param name="field">Where inside the key it was read from (hash field, index, member), if anywhere.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="CodecException">The bytes are not a valid encoding of <typeparamref name="T"/>.</exception>
    public static T DecodeAt<T>(this IRedisCodec<T> codec, RedisValue raw, RedisKey key, string? field = null) =>
        Decode(codec, raw, key, field);

    /// <summary>
    /// Decodes <paramref name="raw"/> read from the hash field <paramref name="field"/>; the field
    /// is rendered as text only when the bytes cannot be decoded, so reads stay free of it.
    /// </summary>
    /// <typeparam name="T">The type to decode.</typeparam>
    /// <param name="codec">The codec to decode with.</param>
    /// <param name="raw">The value Redis returned.</param>
    /// <param name="key">The key it was read from.</param>
    /// <param name="field">The field it was read from, as stored.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="CodecException">The bytes are not a valid encoding of <typeparamref name="T"/>.</exception>
    public static T DecodeAt<T>(this IRedisCodec<T> codec, RedisValue raw, RedisKey key, RedisValue field) =>
        Decode(codec, raw, key, field);

    private static T Decode<T, TField>(IRedisCodec<T> codec, RedisValue raw, RedisKey key, TField field)
    {
        ArgumentNullException.ThrowIfNull(codec);
        try
        {
            return codec.Decode(raw);
        }
        catch (Exception error) when (error is FormatException or OverflowException)
        {
            throw new CodecException(key.ToString(), field?.ToString(), TypeName<T>(), Preview(raw), error);
        }
    }

    /// <summary>A short printable rendering of stored bytes for error messages.</summary>
    internal static string Preview(RedisValue raw)
    {
        if (raw.IsNull)
        {
            return "(missing)";
        }

        var text = raw.ToString();
        var shortened = text.Length > PreviewLength ? string.Concat(text.AsSpan(0, PreviewLength), "…") : text;
        var printable = new System.Text.StringBuilder(shortened.Length + 2).Append('\'');
        foreach (var c in shortened)
        {
            printable.Append(char.IsControl(c) ? '·' : c);
        }

        return printable.Append('\'').ToString();
    }

    private static string TypeName<T>() =>
        Nullable.GetUnderlyingType(typeof(T)) is { } inner ? inner.Name + "?" : typeof(T).Name;
}

using System.Buffers;
using MessagePack;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// The base of codecs that store a type as MessagePack, written and read directly with
/// <see cref="MessagePackWriter"/> and <see cref="MessagePackReader"/>. Pottery's generator
/// emits subclasses for types marked <c>[MessagePackObject]</c>; nothing here uses
/// <c>MessagePackSerializer</c> or its dynamic resolvers, so it is safe under Native AOT.
/// </summary>
/// <typeparam name="T">The type the codec stores.</typeparam>
public abstract class MessagePackCodec<T> : IRedisCodec<T>
{
    /// <inheritdoc />
    public RedisValue Encode(T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public T Decode(RedisValue value)
    {
        if (value.IsNull)
        {
            throw new FormatException("No value is stored.");
        }

        var reader = new MessagePackReader((ReadOnlyMemory<byte>)value);
        T result;
        try
        {
            result = Read(ref reader);
        }
        catch (Exception error) when (error is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            throw new FormatException($"The bytes are not a MessagePack {typeof(T).Name}: {error.Message}", error);
        }

        return reader.End
            ? result
            : throw new FormatException($"{reader.Sequence.Length - reader.Consumed} bytes follow the MessagePack {typeof(T).Name}.");
    }

    /// <summary>Writes <paramref name="value"/>.</summary>
    /// <param name="writer">The writer to write to.</param>
    /// <param name="value">The value to write.</param>
    protected abstract void Write(ref MessagePackWriter writer, T value);

    /// <summary>Reads one value written by <see cref="Write"/>.</summary>
    /// <param name="reader">The reader positioned at the value.</param>
    /// <returns>The value read.</returns>
    /// <exception cref="MessagePackSerializationException">The bytes do not have the expected shape.</exception>
    protected abstract T Read(ref MessagePackReader reader);
}

using MessagePack;
using StackExchange.Redis;

namespace Pottery.Runtime.Tests.Codecs;

public sealed class MessagePackCodecTests
{
    private static readonly PointCodec Codec = new();

    [Fact]
    public void Round_trips_through_the_writer_and_reader()
    {
        var point = new Point(-3, 4, "ünï");
        Assert.Equal(point, Codec.Decode(Codec.Encode(point)));
    }

    [Fact]
    public void Writes_standard_messagepack()
    {
        // fixarray(3), positive fixint 1, negative fixint -1, fixstr "a"
        Assert.Equal(new byte[] { 0x93, 0x01, 0xFF, 0xA1, (byte)'a' }, (byte[])Codec.Encode(new Point(1, -1, "a"))!);
    }

    [Fact]
    public void Truncated_bytes_are_format_errors() =>
        Assert.Throws<FormatException>(() => Codec.Decode(new byte[] { 0x93, 0x01 }));

    [Fact]
    public void Trailing_bytes_are_format_errors() =>
        Assert.Throws<FormatException>(() => Codec.Decode(new byte[] { 0x93, 0x01, 0x02, 0xA0, 0x00 }));

    [Fact]
    public void Bytes_of_another_shape_are_format_errors() =>
        Assert.Throws<FormatException>(() => Codec.Decode("plain text"u8.ToArray()));

    [Fact]
    public void Missing_values_are_format_errors() =>
        Assert.Throws<FormatException>(() => Codec.Decode(RedisValue.Null));

    private sealed record Point(int X, int Y, string Label);

    // The shape the generator will emit for [MessagePackObject] types with integer keys.
    private sealed class PointCodec : MessagePackCodec<Point>
    {
        protected override void Write(ref MessagePackWriter writer, Point value)
        {
            writer.WriteArrayHeader(3);
            writer.Write(value.X);
            writer.Write(value.Y);
            writer.Write(value.Label);
        }

        protected override Point Read(ref MessagePackReader reader)
        {
            if (reader.ReadArrayHeader() != 3)
            {
                throw new MessagePackSerializationException("Expected 3 members.");
            }

            return new Point(reader.ReadInt32(), reader.ReadInt32(), reader.ReadString() ?? throw new MessagePackSerializationException("Label is nil."));
        }
    }
}

namespace Pottery.Runtime.Tests.Codecs;

public sealed class StringCodecTests
{
    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("ünï 漢字 🎉")]
    public void Round_trips(string value) =>
        Assert.Equal(value, StringCodec.Instance.Decode(StringCodec.Instance.Encode(value)));
}

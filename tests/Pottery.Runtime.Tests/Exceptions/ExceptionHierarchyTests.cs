namespace Pottery.Runtime.Tests.Exceptions;

public sealed class ExceptionHierarchyTests
{
    [Fact]
    public void Every_pottery_exception_shares_one_root_and_keeps_key_and_cause()
    {
        var cause = new InvalidOperationException("cause");
        PotteryException[] all =
        [
            new KeyExistsException("m", "k", cause),
            new RandomKeyException("m", "k", cause),
            new RedisUnavailableException("m", "k", cause),
            new QuorumNotAchievedException("m", "k", cause),
            new QuorumIsImpossibleException("m", "k", cause),
            new TooManyExtensionsException("m", "k", cause),
            new ExtendUnlockedLockException("m", "k", cause),
            new ReleaseUnlockedLockException("m", "k", cause),
            new ArithmeticOverflowException("m", "k", "f", cause),
        ];

        Assert.All(all, e =>
        {
            Assert.Equal("k", e.Key);
            Assert.Same(cause, e.InnerException);
            Assert.Equal("m", e.Message);
        });
        Assert.All(all.OfType<PrimitiveException>(), e => Assert.IsAssignableFrom<PotteryException>(e));
        Assert.Equal(5, all.OfType<PrimitiveException>().Count());
    }

    [Fact]
    public void Wrong_type_and_codec_errors_explain_themselves()
    {
        var wrongType = new WrongTypeException("tel", "hash", "list");
        var codec = new CodecException("tel", "jack", "Int32", "'x'");

        Assert.Equal("Redis key 'tel' holds a list, but this operation needs a hash. Use another key, or delete the existing one first.", wrongType.Message);
        Assert.StartsWith("Could not decode the value 'x' at field jack of Redis key 'tel' as Int32.", codec.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<PotteryException>(wrongType);
        Assert.IsAssignableFrom<PotteryException>(codec);
    }
}

using StackExchange.Redis;

namespace Pottery;

/// <summary>Reads the replies of Redis' blocking pops.</summary>
internal static class BlockingReplies
{
    /// <summary>The element of a <c>BLPOP</c>/<c>BRPOP</c> reply (<c>[key, element]</c>), or null on timeout.</summary>
    public static RedisValue Element(RedisResult reply) =>
        reply.IsNull ? RedisValue.Null : (RedisValue)((RedisResult[])reply!)[1];

    /// <summary>The member of a <c>BZPOPMIN</c> reply (<c>[key, member, score]</c>), or null on timeout.</summary>
    public static RedisValue Member(RedisResult reply) => Element(reply);
}

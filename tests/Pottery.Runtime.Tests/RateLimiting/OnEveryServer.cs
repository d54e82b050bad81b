using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.RateLimiting;

// Each suite runs on every kind of server: on a cluster each limiter's one key is in one slot.
public sealed class RedisTokenBucketRateLimiterTestsOnStandalone(RedisServerFixture redis) : RedisTokenBucketRateLimiterTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisTokenBucketRateLimiterTestsOnCluster(SharedClusterFixture redis) : RedisTokenBucketRateLimiterTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisTokenBucketRateLimiterTestsOnGarnet(SharedGarnetFixture redis) : RedisTokenBucketRateLimiterTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisSlidingWindowRateLimiterTestsOnStandalone(RedisServerFixture redis) : RedisSlidingWindowRateLimiterTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisSlidingWindowRateLimiterTestsOnCluster(SharedClusterFixture redis) : RedisSlidingWindowRateLimiterTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisSlidingWindowRateLimiterTestsOnGarnet(SharedGarnetFixture redis) : RedisSlidingWindowRateLimiterTests(redis), IClassFixture<SharedGarnetFixture>;

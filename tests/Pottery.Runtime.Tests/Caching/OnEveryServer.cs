using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Caching;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class RedisCacheTestsOnStandalone(RedisServerFixture redis) : RedisCacheTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisCacheTestsOnCluster(SharedClusterFixture redis) : RedisCacheTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisCacheTestsOnGarnet(SharedGarnetFixture redis) : RedisCacheTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class CachedOrderedDictTestsOnStandalone(RedisServerFixture redis) : CachedOrderedDictTests(redis), IClassFixture<RedisServerFixture>;

public sealed class CachedOrderedDictTestsOnCluster(SharedClusterFixture redis) : CachedOrderedDictTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class CachedOrderedDictTestsOnGarnet(SharedGarnetFixture redis) : CachedOrderedDictTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisDistributedCacheTestsOnStandalone(RedisServerFixture redis) : RedisDistributedCacheTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisDistributedCacheTestsOnCluster(SharedClusterFixture redis) : RedisDistributedCacheTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisDistributedCacheTestsOnGarnet(SharedGarnetFixture redis) : RedisDistributedCacheTests(redis), IClassFixture<SharedGarnetFixture>;

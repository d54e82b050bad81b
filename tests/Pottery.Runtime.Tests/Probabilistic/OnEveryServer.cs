using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Probabilistic;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class BloomFilterTestsOnStandalone(RedisServerFixture redis) : BloomFilterTests(redis), IClassFixture<RedisServerFixture>;

public sealed class BloomFilterTestsOnCluster(SharedClusterFixture redis) : BloomFilterTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class BloomFilterTestsOnGarnet(SharedGarnetFixture redis) : BloomFilterTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class HyperLogLogTestsOnStandalone(RedisServerFixture redis) : HyperLogLogTests(redis), IClassFixture<RedisServerFixture>;

public sealed class HyperLogLogTestsOnCluster(SharedClusterFixture redis) : HyperLogLogTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class HyperLogLogTestsOnGarnet(SharedGarnetFixture redis) : HyperLogLogTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class BloomFilterInitialItemsTestsOnStandalone(RedisServerFixture redis) : BloomFilterInitialItemsTests(redis), IClassFixture<RedisServerFixture>;

public sealed class BloomFilterInitialItemsTestsOnCluster(SharedClusterFixture redis) : BloomFilterInitialItemsTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class BloomFilterInitialItemsTestsOnGarnet(SharedGarnetFixture redis) : BloomFilterInitialItemsTests(redis), IClassFixture<SharedGarnetFixture>;

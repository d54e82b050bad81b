using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Collections;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class RedisListTestsOnStandalone(RedisServerFixture redis) : RedisListTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisListTestsOnCluster(SharedClusterFixture redis) : RedisListTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisListTestsOnGarnet(SharedGarnetFixture redis) : RedisListTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisCounterTestsOnStandalone(RedisServerFixture redis) : RedisCounterTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisCounterTestsOnCluster(SharedClusterFixture redis) : RedisCounterTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisCounterTestsOnGarnet(SharedGarnetFixture redis) : RedisCounterTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisDictTestsOnStandalone(RedisServerFixture redis) : RedisDictTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisDictTestsOnCluster(SharedClusterFixture redis) : RedisDictTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisDictTestsOnGarnet(SharedGarnetFixture redis) : RedisDictTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisSetTestsOnStandalone(RedisServerFixture redis) : RedisSetTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisSetTestsOnCluster(SharedClusterFixture redis) : RedisSetTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisSetTestsOnGarnet(SharedGarnetFixture redis) : RedisSetTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisDequeTestsOnStandalone(RedisServerFixture redis) : RedisDequeTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisDequeTestsOnCluster(SharedClusterFixture redis) : RedisDequeTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisDequeTestsOnGarnet(SharedGarnetFixture redis) : RedisDequeTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class CheckedArithmeticTestsOnStandalone(RedisServerFixture redis) : CheckedArithmeticTests(redis), IClassFixture<RedisServerFixture>;

public sealed class CheckedArithmeticTestsOnCluster(SharedClusterFixture redis) : CheckedArithmeticTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class CheckedArithmeticTestsOnGarnet(SharedGarnetFixture redis) : CheckedArithmeticTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisListSliceTestsOnStandalone(RedisServerFixture redis) : RedisListSliceTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisListSliceTestsOnCluster(SharedClusterFixture redis) : RedisListSliceTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisListSliceTestsOnGarnet(SharedGarnetFixture redis) : RedisListSliceTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisCounterUnaryAndMappingTestsOnStandalone(RedisServerFixture redis) : RedisCounterUnaryAndMappingTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisCounterUnaryAndMappingTestsOnCluster(SharedClusterFixture redis) : RedisCounterUnaryAndMappingTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisCounterUnaryAndMappingTestsOnGarnet(SharedGarnetFixture redis) : RedisCounterUnaryAndMappingTests(redis), IClassFixture<SharedGarnetFixture>;

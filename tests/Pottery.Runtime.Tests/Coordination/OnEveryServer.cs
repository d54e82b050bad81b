using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Coordination;

// Each suite runs on every kind of server.
public sealed class RedisEventTestsOnStandalone(RedisServerFixture redis) : RedisEventTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisEventTestsOnCluster(SharedClusterFixture redis) : RedisEventTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisEventTestsOnGarnet(SharedGarnetFixture redis) : RedisEventTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisCountdownLatchTestsOnStandalone(RedisServerFixture redis) : RedisCountdownLatchTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisCountdownLatchTestsOnCluster(SharedClusterFixture redis) : RedisCountdownLatchTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisCountdownLatchTestsOnGarnet(SharedGarnetFixture redis) : RedisCountdownLatchTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisBarrierTestsOnStandalone(RedisServerFixture redis) : RedisBarrierTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisBarrierTestsOnCluster(SharedClusterFixture redis) : RedisBarrierTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisBarrierTestsOnGarnet(SharedGarnetFixture redis) : RedisBarrierTests(redis), IClassFixture<SharedGarnetFixture>;

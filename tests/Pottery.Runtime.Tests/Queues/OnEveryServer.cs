using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Queues;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class RedisQueueTestsOnStandalone(RedisServerFixture redis) : RedisQueueTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisQueueTestsOnCluster(SharedClusterFixture redis) : RedisQueueTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisQueueTestsOnGarnet(SharedGarnetFixture redis) : RedisQueueTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisSimpleQueueTestsOnStandalone(RedisServerFixture redis) : RedisSimpleQueueTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisSimpleQueueTestsOnCluster(SharedClusterFixture redis) : RedisSimpleQueueTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisSimpleQueueTestsOnGarnet(SharedGarnetFixture redis) : RedisSimpleQueueTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisLifoQueueTestsOnStandalone(RedisServerFixture redis) : RedisLifoQueueTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisLifoQueueTestsOnCluster(SharedClusterFixture redis) : RedisLifoQueueTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisLifoQueueTestsOnGarnet(SharedGarnetFixture redis) : RedisLifoQueueTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisPriorityQueueTestsOnStandalone(RedisServerFixture redis) : RedisPriorityQueueTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisPriorityQueueTestsOnCluster(SharedClusterFixture redis) : RedisPriorityQueueTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisPriorityQueueTestsOnGarnet(SharedGarnetFixture redis) : RedisPriorityQueueTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisQueueDelayTestsOnStandalone(RedisServerFixture redis) : RedisQueueDelayTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisQueueDelayTestsOnCluster(SharedClusterFixture redis) : RedisQueueDelayTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisQueueDelayTestsOnGarnet(SharedGarnetFixture redis) : RedisQueueDelayTests(redis), IClassFixture<SharedGarnetFixture>;

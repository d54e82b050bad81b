using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Messaging;

// Each suite runs on every kind of server.
public sealed class RedisTopicTestsOnStandalone(RedisServerFixture redis) : RedisTopicTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisTopicTestsOnCluster(SharedClusterFixture redis) : RedisTopicTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class RedisTopicTestsOnGarnet(SharedGarnetFixture redis) : RedisTopicTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class RedisReliableTopicTestsOnStandalone(RedisServerFixture redis) : RedisReliableTopicTests(redis), IClassFixture<RedisServerFixture>;

public sealed class RedisReliableTopicTestsOnCluster(SharedClusterFixture redis) : RedisReliableTopicTests(redis), IClassFixture<SharedClusterFixture>;

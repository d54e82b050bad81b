using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Codecs;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class CodecsInRedisTestsOnStandalone(RedisServerFixture redis) : CodecsInRedisTests(redis), IClassFixture<RedisServerFixture>;

public sealed class CodecsInRedisTestsOnCluster(SharedClusterFixture redis) : CodecsInRedisTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class CodecsInRedisTestsOnGarnet(SharedGarnetFixture redis) : CodecsInRedisTests(redis), IClassFixture<SharedGarnetFixture>;

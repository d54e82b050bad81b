using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Locking;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class SynchronizeTestsOnStandalone(RedisServerFixture redis) : SynchronizeTests(redis), IClassFixture<RedisServerFixture>;

public sealed class SynchronizeTestsOnCluster(SharedClusterFixture redis) : SynchronizeTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class SynchronizeTestsOnGarnet(SharedGarnetFixture redis) : SynchronizeTests(redis), IClassFixture<SharedGarnetFixture>;

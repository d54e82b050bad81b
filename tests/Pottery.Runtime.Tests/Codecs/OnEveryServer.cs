using Pottery.Testing.Redis;

namespace Pottery.Runtime.Tests.Codecs;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class CodecsInRedisTestsOnStandalone(RedisServerFixture redis) : CodecsInRedisTests(redis), IClassFixture<RedisServerFixture>;

public sealed class CodecsInRedisTestsOnCluster(SharedClusterFixture redis) : CodecsInRedisTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class CodecsInRedisTestsOnGarnet(SharedGarnetFixture redis) : CodecsInRedisTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class UnencodableMembershipTestsOnStandalone(RedisServerFixture redis) : UnencodableMembershipTests(redis), IClassFixture<RedisServerFixture>;

public sealed class UnencodableMembershipTestsOnCluster(SharedClusterFixture redis) : UnencodableMembershipTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class UnencodableMembershipTestsOnGarnet(SharedGarnetFixture redis) : UnencodableMembershipTests(redis), IClassFixture<SharedGarnetFixture>;

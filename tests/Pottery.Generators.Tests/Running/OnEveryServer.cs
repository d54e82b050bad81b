using Pottery.Testing.Redis;

namespace Pottery.Generators.Tests.Running;

// Each suite runs on every kind of server; a test that cannot apply to one says so in its name.
public sealed class GeneratedDictTestsOnStandalone(RedisServerFixture redis) : GeneratedDictTests(redis), IClassFixture<RedisServerFixture>;

public sealed class GeneratedDictTestsOnCluster(SharedClusterFixture redis) : GeneratedDictTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class GeneratedDictTestsOnGarnet(SharedGarnetFixture redis) : GeneratedDictTests(redis), IClassFixture<SharedGarnetFixture>;

public sealed class GeneratedBloomTestsOnStandalone(RedisServerFixture redis) : GeneratedBloomTests(redis), IClassFixture<RedisServerFixture>;

public sealed class GeneratedBloomTestsOnCluster(SharedClusterFixture redis) : GeneratedBloomTests(redis), IClassFixture<SharedClusterFixture>;

public sealed class GeneratedBloomTestsOnGarnet(SharedGarnetFixture redis) : GeneratedBloomTests(redis), IClassFixture<SharedGarnetFixture>;

[Collection(GeneratedSynchronizeTests.SharesStatics)]
public sealed class GeneratedSynchronizeTestsOnStandalone(RedisServerFixture redis) : GeneratedSynchronizeTests(redis), IClassFixture<RedisServerFixture>;

[Collection(GeneratedSynchronizeTests.SharesStatics)]
public sealed class GeneratedSynchronizeTestsOnCluster(SharedClusterFixture redis) : GeneratedSynchronizeTests(redis), IClassFixture<SharedClusterFixture>;

[Collection(GeneratedSynchronizeTests.SharesStatics)]
public sealed class GeneratedSynchronizeTestsOnGarnet(SharedGarnetFixture redis) : GeneratedSynchronizeTests(redis), IClassFixture<SharedGarnetFixture>;

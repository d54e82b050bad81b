namespace Pottery.Testing.Redis;

/// <summary>The kinds of server Pottery's suites run on.</summary>
public enum ServerKind
{
    /// <summary>One redis-server.</summary>
    Standalone,

    /// <summary>A six-node Redis Cluster (three masters, three replicas).</summary>
    Cluster,

    /// <summary>Microsoft Garnet with Lua enabled.</summary>
    Garnet,
}

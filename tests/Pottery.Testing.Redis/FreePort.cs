using System.Net;
using System.Net.Sockets;

namespace Pottery.Testing.Redis;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class FreePort
{
    /// <summary>Asks the OS for a port nobody listens on right now.</summary>
    /// <returns>The port number.</returns>
    /// <remarks>Another process may take it before it is used; <see cref="RedisServer"/> retries when that happens.</remarks>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace SensorGateway.Testing;

/// <summary>Loopback ports for servers a test or a load tool starts itself. Shared as source.</summary>
internal static class FreePort
{
    /// <summary>A port that is free on 127.0.0.1 right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when something accepts connections on the port.</summary>
    public static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace SensorGateway.Testing;

/// <summary>Loopback ports for servers a test or a load tool starts itself. Shared as source.</summary>
internal static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): outgoing connections and port-0 listeners take their ports from that
    // range, so none of them can take a port handed out here before its server binds it (a CI run lost a scenario to
    // "address already in use" when the kernel's own port-0 choice was used). Each process starts at its own offset,
    // and a port that is bound already is skipped.
    private const int First = 20_000;
    private const int Last = 32_000;
    private static int s_next = First + (Environment.ProcessId % 400 * 30);

    /// <summary>A port that is free on 127.0.0.1 right now and outside the kernel's ephemeral range.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + ((Interlocked.Increment(ref s_next) - First) % (Last - First));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
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

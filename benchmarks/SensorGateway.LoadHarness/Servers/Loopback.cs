using System.Net;
using System.Net.Sockets;

namespace SensorGateway.LoadHarness.Servers;

/// <summary>Consecutive free ports on 127.0.0.1 (single ones: <see cref="Testing.FreePort"/>) and a check that something listens on one.</summary>
internal static class Loopback
{
    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports: the load site file gives Modbus endpoints
    /// consecutive ports (247 unit ids each).
    /// </summary>
    public static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Random.Shared.Next(20_000, 40_000);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free loopback ports between 20000 and 40000");
    }

    public static async Task<bool> ListensAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace SensorGateway.Simulators.Faults;

/// <summary>
/// A TCP relay in front of a broker or database that a scenario can take down: while down it closes every
/// relayed connection and refuses new ones (accepts and closes at once), as an unreachable server looks to
/// a client. Point the gateway at <see cref="Endpoint"/> instead of the real server.
/// </summary>
public sealed class TcpOutageProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _acceptLoop;
    private volatile bool _down;

    public TcpOutageProxy(string targetHost, int targetPort, int listenPort = 0)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, listenPort);
        _listener.Start();
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptAsync(_stopping.Token);
    }

    public IPEndPoint Endpoint { get; }

    public bool IsDown => _down;

    /// <summary>Outages taken so far.</summary>
    public int Outages { get; private set; }

    /// <summary>Takes the server down (drops every connection) or brings it back.</summary>
    public void SetDown(bool down)
    {
        if (down == _down)
        {
            return;
        }

        _down = down;
        if (down)
        {
            Outages++;
            lock (_open)
            {
                foreach (var client in _open)
                {
                    client.Dispose();
                }

                _open.Clear();
            }
        }
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var inbound = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                if (_down)
                {
                    inbound.Dispose();
                    continue;
                }

                _ = RelayAsync(inbound, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken cancellationToken)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, cancellationToken).ConfigureAwait(false);
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), linked.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), linked.Token);
            await Task.WhenAny(a, b).ConfigureAwait(false);
            await linked.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away, or the outage cut the link.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        SetDown(true);
        await _acceptLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace SensorGateway.Edge.Mqtt;

/// <summary>
/// The MQTTnet broker the gateway runs when no external broker is configured, so a site (or the demo)
/// works with nothing else installed. Started before the ingest client connects to it.
/// </summary>
public sealed class EmbeddedMqttBroker(IOptions<MqttIngestOptions> options, ILogger<EmbeddedMqttBroker> logger) : IAsyncDisposable
{
    private MqttServer? _server;

    /// <summary>The port actually bound (resolves a configured 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var address = IPAddress.Parse(settings.EmbeddedBindAddress);
        Port = settings.EmbeddedPort == 0 ? FreePort(address) : settings.EmbeddedPort;
        var serverOptions = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        cancellationToken.ThrowIfCancellationRequested();
        await _server.StartAsync();
        MqttLog.EmbeddedBrokerStarted(logger, settings.EmbeddedBindAddress, Port);
    }

    public async Task StopAsync()
    {
        if (_server is { IsStarted: true } server)
        {
            await server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _server?.Dispose();
    }

    // MQTTnet cannot report the port it bound for 0, so pick a free one just before starting.
    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

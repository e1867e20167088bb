using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Mqtt;

namespace SensorGateway.Edge.Tests.Mqtt;

/// <summary>
/// A Mosquitto broker of the test's own (with persistence, so it can be restarted) goes away mid-stream:
/// at QoS 1 with persistent sessions, every reading the device got acknowledged reaches the gateway.
/// </summary>
public sealed class BrokerRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mosquitto-restart-").FullName;
    private readonly int _port = FreePort();
    private Process? _broker;

    public void Dispose()
    {
        StopBroker();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Readings_BrokerRestartMidStreamAtQos1_NoAcknowledgedReadingLost()
    {
        var ct = TestContext.Current.CancellationToken;
        await StartBrokerAsync(ct);
        var siteId = $"restart-{Guid.NewGuid():N}"[..20];
        var topic = $"{siteId}/gd-01";
        var site = new SiteDefinition(siteId, "Site", Sectors.Find("city_gas")!,
        [
            new DeviceDefinition("gd-01", "GD", "", null, new MqttDeviceAddress(topic), TimeSpan.FromSeconds(1),
                [new ChannelDefinition(new ChannelId(siteId, "gd-01", "lel"), "gas.combustible", "%LEL", null)], new Dictionary<string, string>()),
        ]);
        var source = new MqttReadingSource(site.Devices, Options.Create(new MqttIngestOptions
        {
            Host = "127.0.0.1", Port = _port, ClientId = siteId, ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            DeadLetterDirectory = Path.Combine(_folder, "dead-letter"),
        }), TimeProvider.System, NullLogger<MqttReadingSource>.Instance);
        const int total = 400;
        var received = new List<long>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = source.Readings.Subscribe(r =>
        {
            lock (received)
            {
                received.Add(r.Sequence);
                if (received.Count == total)
                {
                    all.TrySetResult();
                }
            }
        });
        await MqttBroker.WaitSubscribedAsync(source, ct);

        await using (var device = await ResilientPublisher.ConnectAsync(_port, $"{siteId}-device", ct))
        {
            for (var seq = 1; seq <= total; seq++)
            {
                if (seq == total / 2)
                {
                    await RestartBrokerAsync(ct);
                }

                await device.PublishUntilAcknowledgedAsync(topic, $$"""{"seq":{{seq}},"readings":[{"channel":"lel","value":{{seq % 50}}}]}""", ct);
            }
        }

        await all.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        lock (received)
        {
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), received.Order());
        }
    }

    private async Task StartBrokerAsync(CancellationToken ct)
    {
        var config = Path.Combine(_folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            user root
            listener {_port} 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location {_folder}/
            max_queued_messages 100000
            """, ct);
        var binary = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        _broker = Process.Start(new ProcessStartInfo(binary, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
                  ?? throw new InvalidOperationException("mosquitto did not start: run the tests through scripts/test.sh, which installs it.");
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, _port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }

        throw new TimeoutException("mosquitto did not listen within 10 s");
    }

    // SIGTERM lets Mosquitto write its persistence file, as a service restart does.
    private async Task RestartBrokerAsync(CancellationToken ct)
    {
        using (var term = Process.Start("kill", ["-TERM", _broker!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(ct);
        }

        await _broker.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
        _broker.Dispose();
        await StartBrokerAsync(ct);
    }

    private void StopBroker()
    {
        if (_broker is { HasExited: false })
        {
            _broker.Kill();
            _broker.WaitForExit();
        }

        _broker?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A device that keeps its session and re-sends a message until the broker acknowledges it.</summary>
    private sealed class ResilientPublisher : IAsyncDisposable
    {
        private readonly IMqttClient _client;
        private readonly MqttClientOptions _options;

        private ResilientPublisher(IMqttClient client, MqttClientOptions options) => (_client, _options) = (client, options);

        public static async Task<ResilientPublisher> ConnectAsync(int port, string clientId, CancellationToken ct)
        {
            var factory = new MqttClientFactory();
            var options = factory.CreateClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanStart(false).WithSessionExpiryInterval(3600).Build();
            var publisher = new ResilientPublisher(factory.CreateMqttClient(), options);
            await publisher._client.ConnectAsync(options, ct);
            return publisher;
        }

        public async Task PublishUntilAcknowledgedAsync(string topic, string payload, CancellationToken ct)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                try
                {
                    if (!_client.IsConnected)
                    {
                        await _client.ConnectAsync(_options, ct);
                    }

                    var result = await _client.PublishStringAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
                    if (result.IsSuccess)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException && !ct.IsCancellationRequested)
                {
                    await Task.Delay(50, ct);
                }
            }

            throw new TimeoutException($"The broker did not acknowledge '{payload}' after 200 attempts.");
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }

            _client.Dispose();
        }
    }
}

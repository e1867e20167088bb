using MQTTnet;
using MQTTnet.Protocol;
using SensorGateway.Core.Sites;
using SensorGateway.Simulators.Mqtt;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Load;

/// <summary>
/// Publishes many MQTT devices at their interval from a few connections, many publications in flight at once
/// (QoS 1), each message stamped with the device's own sequence number: 10,000 sensors at 1 Hz is
/// 10,000 messages a second, more than one awaited publication at a time could carry. Alarm probes of the site
/// file are left to whoever drives them.
/// </summary>
/// <param name="aligned">
/// False (the default): each device reports at its own offset within the interval, as independent devices do, so the
/// load arrives evenly. True: every device reports at the start of each interval, the worst-case burst of a site whose
/// devices are all driven from one clock.
/// </param>
public sealed class MqttLoadPublisher(SimulatedSite site, ScenarioClock clock, int connections = 4, int inFlight = 256, bool aligned = false)
{
    /// <summary>Spread devices are released in slices this long: one timer wait per slice, not per device.</summary>
    private static readonly TimeSpan s_slice = TimeSpan.FromMilliseconds(5);

    private readonly SimulatedDevice[] _devices = [.. site.Devices.Where(d => d.Definition.Address is MqttDeviceAddress && !LoadSiteGenerator.IsProbe(d.Id))];
    private long[] _sequences = [];
    private long _published;
    private long _publishedReadings;
    private long _failed;

    /// <summary>Messages the broker acknowledged.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Readings in the messages the broker acknowledged (a multi-point device puts several in one).</summary>
    public long PublishedReadings => Interlocked.Read(ref _publishedReadings);

    public long Failed => Interlocked.Read(ref _failed);

    public int DeviceCount => _devices.Length;

    /// <summary>The last sequence stamped on each device's messages (messages sent, failed ones included), by device id.</summary>
    public IReadOnlyDictionary<string, long> Sequences()
    {
        var sequences = Volatile.Read(ref _sequences);
        return _devices.Select((d, i) => (d.Id, Sequence: i < sequences.Length ? Interlocked.Read(ref sequences[i]) : 0))
            .ToDictionary(d => d.Id, d => d.Sequence, StringComparer.Ordinal);
    }

    public async Task RunAsync(string host, int port, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (_devices.Length == 0)
        {
            return;
        }

        var factory = new MqttClientFactory();
        var clients = new List<IMqttClient>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var client = factory.CreateMqttClient();
                clients.Add(client);
                var options = factory.CreateClientOptionsBuilder().WithTcpServer(host, port)
                    .WithClientId($"sensorgateway-load-{Guid.NewGuid():N}").WithTimeout(TimeSpan.FromSeconds(5)).Build();
                // The client pins the socket's buffers (8 KiB unless told), which would throttle a load publisher.
                ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = 1024 * 1024;
                await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            }

            clock.Start();
            var sequences = new long[_devices.Length];
            Volatile.Write(ref _sequences, sequences);
            var interval = _devices[0].Definition.PollInterval;
            using var gate = new SemaphoreSlim(inFlight, inFlight);
            var pending = new List<Task>();
            for (var due = TimeSpan.Zero; due < duration && !cancellationToken.IsCancellationRequested; due += interval)
            {
                pending.RemoveAll(t => t.IsCompleted);
                var released = TimeSpan.MinValue;
                for (var i = 0; i < _devices.Length; i++)
                {
                    var at = due + Offset(i, _devices.Length, interval, aligned);
                    if (at >= released)
                    {
                        await clock.WaitUntilAsync(at, cancellationToken).ConfigureAwait(false);
                        released = at + s_slice;
                    }

                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var payload = MqttSiteSimulator.Payload(_devices[i], at, Interlocked.Increment(ref sequences[i]), clock.Time.GetUtcNow());
                    var message = new MqttApplicationMessageBuilder().WithTopic(((MqttDeviceAddress)_devices[i].Definition.Address).Topic)
                        .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                    pending.Add(PublishAsync(clients[i % clients.Count], message, _devices[i].Channels.Count, gate, cancellationToken));
                }
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the operator.
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>When, within each interval, device <paramref name="index"/> of <paramref name="devices"/> reports.</summary>
    internal static TimeSpan Offset(int index, int devices, TimeSpan interval, bool aligned) => aligned ? TimeSpan.Zero : interval * index / devices;

    private async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, int readings, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _published);
            Interlocked.Add(ref _publishedReadings, readings);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or IOException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            gate.Release();
        }
    }
}

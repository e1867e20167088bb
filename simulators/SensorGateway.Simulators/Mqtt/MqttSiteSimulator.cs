using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace SensorGateway.Simulators.Mqtt;

/// <summary>
/// Plays MQTT devices against a broker: each publishes the gateway's JSON reading message at its interval,
/// QoS 1, with a per-device sequence number so that the receiving side can count loss and duplicates.
/// </summary>
public sealed class MqttSiteSimulator(IReadOnlyList<SimulatedMqttDevice> devices, TimeProvider time)
{
    private long _published;

    /// <summary>Messages published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    public async Task RunAsync(string host, int port, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        var options = factory.CreateClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId($"sensorgateway-simulator-{Guid.NewGuid():N}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build();
        await ConnectWithRetryAsync(client, options, cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var sequences = new long[devices.Count];
        var nextDue = devices.Select(_ => TimeSpan.Zero).ToArray();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = time.GetElapsedTime(started);
                for (var i = 0; i < devices.Count; i++)
                {
                    if (elapsed < nextDue[i])
                    {
                        continue;
                    }

                    nextDue[i] += devices[i].Interval;
                    var payload = Payload(devices[i], elapsed, ++sequences[i]);
                    var message = new MqttApplicationMessageBuilder()
                        .WithTopic(devices[i].Topic)
                        .WithPayload(payload)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    if (!client.IsConnected)
                    {
                        await ConnectWithRetryAsync(client, options, cancellationToken).ConfigureAwait(false);
                    }

                    await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _published);
                }

                var wait = nextDue.Min() - time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of a simulation.
        }
    }

    /// <summary>The JSON reading message for one device at one moment.</summary>
    public static string Payload(SimulatedMqttDevice device, TimeSpan elapsed, long sequence, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        var json = new StringBuilder(64 + (device.Channels.Count * 48));
        json.Append("{\"seq\":").Append(sequence.ToString(CultureInfo.InvariantCulture));
        if (timestamp is { } ts)
        {
            json.Append(",\"ts\":\"").Append(ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append('"');
        }

        json.Append(",\"readings\":[");
        var first = true;
        foreach (var (channel, signal) in device.Channels)
        {
            json.Append(first ? "" : ",").Append("{\"channel\":\"").Append(channel).Append("\",\"value\":")
                .Append(Math.Round(signal.ValueAt(elapsed), 3).ToString("R", CultureInfo.InvariantCulture)).Append('}');
            first = false;
        }

        return json.Append("]}").ToString();
    }

    private async Task ConnectWithRetryAsync(IMqttClient client, MqttClientOptions options, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or IOException or System.Net.Sockets.SocketException)
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}

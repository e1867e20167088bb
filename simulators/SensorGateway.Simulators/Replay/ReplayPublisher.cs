using System.Globalization;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;

namespace SensorGateway.Simulators.Replay;

/// <summary>
/// Replays a recording over MQTT at a speed factor: readings keep their spacing (divided by the speed), each
/// as the gateway's generic JSON message on the device's topic, with the recorded sequence number (or a fresh
/// per-device one) so loss can be counted.
/// </summary>
public sealed class ReplayPublisher(IReadOnlyList<RecordedReading> readings, TimeProvider time)
{
    private long _published;
    private long _failed;

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public int Total => readings.Count;

    /// <param name="topicTemplate">With <c>{device}</c>, e.g. <c>sites/demo-fuel-01/devices/{device}/readings</c>.</param>
    public async Task RunAsync(string host, int port, string topicTemplate, double speed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicTemplate);
        if (readings.Count == 0)
        {
            return;
        }

        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        await client.ConnectAsync(factory.CreateClientOptionsBuilder().WithTcpServer(host, port)
            .WithClientId($"sensorgateway-replay-{Guid.NewGuid():N}").Build(), cancellationToken).ConfigureAwait(false);
        var clock = new ScenarioClock(time, speed);
        clock.Start();
        var first = readings[0].Time;
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var reading in readings)
            {
                await clock.WaitUntilAsync(reading.Time - first, cancellationToken).ConfigureAwait(false);
                var seq = reading.Sequence > 0 ? reading.Sequence : sequences[reading.Device] = sequences.GetValueOrDefault(reading.Device) + 1;
                var payload = new JsonObject
                {
                    ["seq"] = seq,
                    ["ts"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["readings"] = new JsonArray(new JsonObject { ["channel"] = reading.Channel, ["value"] = reading.Value, ["status"] = "ok" }),
                }.ToJsonString();
                try
                {
                    await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topicTemplate.Replace("{device}", reading.Device, StringComparison.Ordinal))
                        .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _published);
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or IOException)
                {
                    Interlocked.Increment(ref _failed);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the operator.
        }
    }
}

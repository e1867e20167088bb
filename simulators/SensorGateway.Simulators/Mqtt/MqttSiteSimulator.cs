using System.Globalization;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Mqtt;

/// <summary>
/// Plays a site's MQTT devices against a broker: each publishes at its interval (in scenario time), QoS 1,
/// with a per-device sequence number so the receiving side can count loss and duplicates. Devices without a
/// profile send the gateway's generic JSON message; devices with an MQTT profile send the profile's layout.
/// A silent device skips its publications; a faulty channel reports status <c>fault</c>.
/// </summary>
public sealed class MqttSiteSimulator
{
    private readonly IReadOnlyList<SimulatedDevice> _devices;
    private readonly ScenarioClock _clock;
    private long _published;
    private long _failed;

    public MqttSiteSimulator(SimulatedSite site, ScenarioClock clock)
    {
        ArgumentNullException.ThrowIfNull(site);
        _devices = [.. site.Devices.Where(d => d.Definition.Address is MqttDeviceAddress)];
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Devices played.</summary>
    public int DeviceCount => _devices.Count;

    /// <summary>Messages published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publications that failed (broker unreachable); they are not retried, like a device's.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Publishes until <paramref name="until"/> (scenario time; null: until cancelled).</summary>
    public async Task RunAsync(string host, int port, TimeSpan? until, CancellationToken cancellationToken)
    {
        if (_devices.Count == 0)
        {
            return;
        }

        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        var options = factory.CreateClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId($"sensorgateway-simulator-{Guid.NewGuid():N}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(2))
            .Build();
        await ConnectWithRetryAsync(client, options, cancellationToken).ConfigureAwait(false);
        _clock.Start();
        var sequences = new long[_devices.Count];
        var nextDue = _devices.Select(_ => _clock.Elapsed).ToArray();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var next = nextDue.Min();
                if (until is { } end && next > end)
                {
                    return;
                }

                await _clock.WaitUntilAsync(next, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < _devices.Count; i++)
                {
                    if (nextDue[i] > next)
                    {
                        continue;
                    }

                    var at = nextDue[i];
                    nextDue[i] += _devices[i].Definition.PollInterval;
                    if (_devices[i].IsSilentAt(at))
                    {
                        continue;
                    }

                    var payload = Payload(_devices[i], at, ++sequences[i], _clock.StartedAt + (at / _clock.Speed));
                    await PublishAsync(client, options, ((MqttDeviceAddress)_devices[i].Definition.Address).Topic, payload, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of a simulation.
        }
    }

    private async Task PublishAsync(IMqttClient client, MqttClientOptions options, string topic, string payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            if (!client.IsConnected)
            {
                await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            }

            await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _published);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or IOException or System.Net.Sockets.SocketException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            Interlocked.Increment(ref _failed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed); // connect timed out
        }
    }

    /// <summary>The message one device sends at scenario time <paramref name="elapsed"/>.</summary>
    public static string Payload(SimulatedDevice device, TimeSpan elapsed, long sequence, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Profile?.Mqtt is { } layout
            ? ProfilePayload(device, layout, elapsed, sequence, timestamp ?? DateTimeOffset.UnixEpoch + elapsed)
            : GenericPayload(device, elapsed, sequence, timestamp);
    }

    private static string GenericPayload(SimulatedDevice device, TimeSpan elapsed, long sequence, DateTimeOffset? timestamp)
    {
        var readings = new JsonArray();
        foreach (var channel in device.Channels)
        {
            readings.Add(new JsonObject
            {
                ["channel"] = channel.Id,
                ["value"] = Math.Round(channel.ValueAt(elapsed), 3),
                ["status"] = channel.IsFaultyAt(elapsed) ? "fault" : "ok",
            });
        }

        var message = new JsonObject { ["seq"] = sequence };
        if (timestamp is { } ts)
        {
            message["ts"] = ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        message["readings"] = readings;
        return message.ToJsonString();
    }

    private static string ProfilePayload(SimulatedDevice device, MqttPayloadProfile layout, TimeSpan elapsed, long sequence, DateTimeOffset timestamp)
    {
        var root = new JsonObject();
        if (layout.SequencePath is { } seqPath)
        {
            Set(root, seqPath, JsonValue.Create(sequence));
        }

        if (layout.TimestampPath is { } tsPath)
        {
            Set(root, tsPath, layout.TimestampFormat switch
            {
                "unix-ms" => JsonValue.Create(timestamp.ToUnixTimeMilliseconds()),
                "unix-s" => JsonValue.Create(timestamp.ToUnixTimeSeconds()),
                _ => JsonValue.Create(timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
            });
        }

        foreach (var channel in device.Channels)
        {
            if (channel.Profile?.Mqtt is not { } path)
            {
                continue;
            }

            Set(root, path.ValuePath, JsonValue.Create(Math.Round(channel.ValueAt(elapsed), 3)));
            if (path.StatusPath is { } statusPath)
            {
                // Channels that share a status field share its state: any fault shows.
                var faulty = device.Channels.Any(c => c.Profile?.Mqtt?.StatusPath == statusPath && c.IsFaultyAt(elapsed));
                var code = path.StatusMap.FirstOrDefault(kv => kv.Value.IsGood != faulty).Key ?? "0";
                Set(root, statusPath, long.TryParse(code, out var number) ? JsonValue.Create(number) : JsonValue.Create(code));
            }
        }

        return root.ToJsonString();
    }

    private static void Set(JsonObject root, string dottedPath, JsonNode? value)
    {
        var parts = dottedPath.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
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
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or IOException or System.Net.Sockets.SocketException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await Task.Delay(delay, _clock.Time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}

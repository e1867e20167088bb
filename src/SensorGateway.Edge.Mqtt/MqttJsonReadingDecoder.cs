using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Mqtt;

/// <summary>
/// Decodes the gateway's generic JSON reading message:
/// <code>{"seq": 42, "ts": "2026-11-29T05:00:00Z", "readings": [{"channel": "lel", "value": 12.5, "status": "ok"}]}</code>
/// <c>seq</c> (per-device sequence) and <c>ts</c> (ISO 8601, UTC offset required) are optional; without <c>ts</c>
/// the receive time stands in. <c>status</c> is one of ok, fault, calibration, warmup, out_of_service.
/// A message is taken whole or not at all, so one bad channel never yields half a device.
/// Devices whose firmware profile describes their own JSON layout are decoded by <see cref="ProfileJsonDecoder"/>.
/// </summary>
public sealed class MqttJsonReadingDecoder
{
    private readonly Dictionary<string, (string Device, DeviceChannels Channels, ProfileJsonDecoder? Profile)> _byTopic = new(StringComparer.Ordinal);
    private readonly int _maxPayloadBytes;

    /// <param name="devices">The devices of every site the gateway hosts; those with an MQTT address are decoded.</param>
    public MqttJsonReadingDecoder(IEnumerable<DeviceDefinition> devices, int maxPayloadBytes, FirmwareProfileCatalog? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        _maxPayloadBytes = maxPayloadBytes;
        foreach (var device in devices)
        {
            if (device.Address is MqttDeviceAddress mqtt)
            {
                var profile = device.Profile is { } id && profiles?.Profiles.GetValueOrDefault(id) is { Mqtt: not null } p
                    ? new ProfileJsonDecoder(p, device.Channels)
                    : null;
                _byTopic[mqtt.Topic] = (device.Id, DeviceChannels.Of(device.Channels), profile);
            }
        }
    }

    /// <summary>The topics to subscribe to.</summary>
    public IReadOnlyCollection<string> Topics => _byTopic.Keys;

    /// <summary>The device publishing on a topic, or null.</summary>
    public string? DeviceOf(string topic) => _byTopic.TryGetValue(topic, out var binding) ? binding.Device : null;

    /// <summary>Decodes one message into <paramref name="output"/>; returns null on success or why it was rejected.</summary>
    public MqttPayloadRejection? Decode(string topic, ReadOnlySequence<byte> payload, DateTimeOffset receivedAt, List<Reading> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!_byTopic.TryGetValue(topic, out var binding))
        {
            return new(MqttPayloadRejection.UnknownTopic, $"no device in the site file publishes on '{topic}'");
        }

        if (payload.Length > _maxPayloadBytes)
        {
            return new(MqttPayloadRejection.Oversize, $"{payload.Length} bytes, limit {_maxPayloadBytes}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            return new(MqttPayloadRejection.InvalidJson, $"line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message.Split('.')[0]}");
        }

        using (document)
        {
            var start = output.Count;
            var rejection = binding.Profile is { } profile
                ? profile.Decode(document.RootElement, receivedAt, output)
                : DecodeDocument(document.RootElement, binding.Device, binding.Channels, receivedAt, output);
            if (rejection is not null)
            {
                output.RemoveRange(start, output.Count - start);
            }

            return rejection;
        }
    }

    private static MqttPayloadRejection? DecodeDocument(JsonElement root, string device, DeviceChannels channels, DateTimeOffset receivedAt, List<Reading> output)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new(MqttPayloadRejection.WrongType, $"the message must be a JSON object, found {root.ValueKind}");
        }

        long sequence = 0;
        if (root.TryGetProperty("seq", out var seq) && (seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out sequence) || sequence < 0))
        {
            return new(MqttPayloadRejection.WrongType, "'seq' must be a non-negative whole number");
        }

        var sourceTime = receivedAt;
        if (root.TryGetProperty("ts", out var ts) &&
            (ts.ValueKind != JsonValueKind.String ||
             !DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out sourceTime) ||
             !HasOffset(ts.GetString()!)))
        {
            return new(MqttPayloadRejection.BadTimestamp, "'ts' must be an ISO 8601 time with a UTC offset, e.g. 2026-11-29T05:00:00Z");
        }

        if (!root.TryGetProperty("readings", out var readings))
        {
            return new(MqttPayloadRejection.MissingField, "missing 'readings' (an array of {channel, value})");
        }

        if (readings.ValueKind != JsonValueKind.Array)
        {
            return new(MqttPayloadRejection.WrongType, "'readings' must be an array");
        }

        var index = 0;
        foreach (var item in readings.EnumerateArray())
        {
            var rejection = DecodeReading(item, index++, device, channels, sourceTime, receivedAt, sequence, output);
            if (rejection is not null)
            {
                return rejection;
            }
        }

        return null;
    }

    private static MqttPayloadRejection? DecodeReading(JsonElement item, int index, string device, DeviceChannels channels,
        DateTimeOffset sourceTime, DateTimeOffset receivedAt, long sequence, List<Reading> output)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new(MqttPayloadRejection.WrongType, $"readings[{index}] must be an object");
        }

        if (!item.TryGetProperty("channel", out var channelName) || channelName.ValueKind != JsonValueKind.String)
        {
            return new(MqttPayloadRejection.MissingField, $"readings[{index}].channel is missing or not a string");
        }

        if (channels.Find(channelName) is not { } channel)
        {
            return new(MqttPayloadRejection.UnknownChannel, $"device '{device}' has no channel '{channelName.GetString()}'");
        }

        if (!item.TryGetProperty("value", out var value))
        {
            return new(MqttPayloadRejection.MissingField, $"readings[{index}].value is missing");
        }

        double number;
        if (value.ValueKind == JsonValueKind.True || value.ValueKind == JsonValueKind.False)
        {
            number = value.GetBoolean() ? 1 : 0;
        }
        else if (value.ValueKind == JsonValueKind.Number)
        {
            number = value.GetDouble();
        }
        else if (value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity")
        {
            return new(MqttPayloadRejection.NonFinite, $"readings[{index}].value is {value.GetString()}");
        }
        else
        {
            return new(MqttPayloadRejection.WrongType, $"readings[{index}].value must be a number or boolean, found {value.ValueKind}");
        }

        if (!double.IsFinite(number))
        {
            return new(MqttPayloadRejection.NonFinite, $"readings[{index}].value is not finite");
        }

        var quality = Quality.Good;
        if (item.TryGetProperty("status", out var status))
        {
            if (status.ValueKind != JsonValueKind.String || !TryParseStatus(status.GetString()!, out quality))
            {
                return new(MqttPayloadRejection.WrongType, $"readings[{index}].status must be one of ok, fault, calibration, warmup, out_of_service");
            }
        }

        output.Add(new Reading(channel.Id, channel.Quantity, channel.Unit, number, quality, sourceTime, receivedAt, sequence));
        return null;
    }

    private static bool TryParseStatus(string text, out Quality quality)
    {
        quality = text switch
        {
            "ok" => Quality.Good,
            "fault" => Quality.Bad(QualityReason.SensorFault),
            "calibration" => Quality.Bad(QualityReason.Calibration),
            "warmup" => Quality.Bad(QualityReason.WarmUp),
            "out_of_service" => Quality.Bad(QualityReason.OutOfService),
            _ => default,
        };
        return text is "ok" or "fault" or "calibration" or "warmup" or "out_of_service";
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    /// <summary>
    /// A device's channels by name. Most devices have one to a few channels: those are found by comparing the JSON
    /// name with each channel id as UTF-8 (no map per device, no string per reading); a device with many channels
    /// gets a map.
    /// </summary>
    private readonly struct DeviceChannels
    {
        private const int ScanLimit = 8;
        private readonly IReadOnlyList<ChannelDefinition> _list;
        private readonly Dictionary<string, ChannelDefinition>? _byName;

        private DeviceChannels(IReadOnlyList<ChannelDefinition> list, Dictionary<string, ChannelDefinition>? byName)
        {
            _list = list;
            _byName = byName;
        }

        public static DeviceChannels Of(IReadOnlyList<ChannelDefinition> channels) => channels.Count <= ScanLimit
            ? new DeviceChannels(channels, null)
            : new DeviceChannels(channels, channels.ToDictionary(c => c.Id.Channel, StringComparer.Ordinal));

        public ChannelDefinition? Find(JsonElement name)
        {
            if (_byName is not null)
            {
                return _byName.GetValueOrDefault(name.GetString()!);
            }

            for (var i = 0; i < _list.Count; i++)
            {
                if (name.ValueEquals(_list[i].Id.Channel))
                {
                    return _list[i];
                }
            }

            return null;
        }
    }
}
